import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CLIENT_FILES, generatedClientFiles } from "../../scripts/client-files.ts";

describe("the typed client in clients/typescript", () => {
  it("is generated from the server's current OpenAPI document (else: npm run client:generate)", async () => {
    const fresh = await generatedClientFiles();
    const stale = (
      [
        [CLIENT_FILES.document, fresh.document],
        [CLIENT_FILES.types, fresh.types],
      ] as const
    ).filter(([file, expected]) => readFileSync(file, "utf8") !== expected);
    expect(
      stale.map(([file]) => file),
      "stale: run `npm run client:generate` and commit the result",
    ).toEqual([]);
  });
});

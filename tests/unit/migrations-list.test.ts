import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { migrationsList } from "../../src/adapters/persistence/migrations/migrations-list.ts";

describe("the migrations list", () => {
  it("names every migration file, in file-name (time) order", () => {
    const files = readdirSync(new URL("../../src/adapters/persistence/migrations/", import.meta.url))
      .filter((file) => file.startsWith("migration-") && file.endsWith(".ts"))
      .map((file) => file.replace(/\.ts$/, ""))
      .sort();
    expect(migrationsList.map((m) => m.name)).toEqual(files);
  });
});

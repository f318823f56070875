import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { cruise, type IConfiguration, type ICruiseResult } from "dependency-cruiser";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const { forbidden } = require("../../.dependency-cruiser.cjs") as IConfiguration;

/** `npm run arch` checks the real tree with the same rules; this shows that a breach is caught and named. */
describe("the dependency rules of the hexagon", () => {
  it("fail on a domain file that imports Hono, naming the rules it breaks", async () => {
    const fixture = fileURLToPath(new URL("./fixture/", import.meta.url));
    const result = await cruise(["src"], {
      baseDir: fixture,
      validate: true,
      ruleSet: { forbidden },
      doNotFollow: { path: "node_modules" },
      tsPreCompilationDeps: true,
    });
    const output = result.output as ICruiseResult;
    const broken = output.summary.violations.map((violation) => violation.rule.name);
    expect(broken).toEqual(expect.arrayContaining(["domain-imports-only-domain", "core-no-frameworks"]));
  });
});

import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { cruise, type IConfiguration, type ICruiseResult } from "dependency-cruiser";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const { forbidden } = require("../../.dependency-cruiser.cjs") as IConfiguration;

const cruiseFixture = async () => {
  const fixture = fileURLToPath(new URL("./fixture/", import.meta.url));
  const result = await cruise(["src"], {
    baseDir: fixture,
    validate: true,
    ruleSet: { forbidden },
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
  });
  return (result.output as ICruiseResult).summary.violations;
};

/** `npm run arch` checks the real tree with the same rules; this shows that a breach is caught and named. */
describe("the dependency rules of the hexagon", () => {
  it("fail on a domain file that imports Hono, naming the rules it breaks", async () => {
    const broken = (await cruiseFixture()).map((violation) => violation.rule.name);
    expect(broken).toEqual(expect.arrayContaining(["domain-imports-only-domain", "core-no-frameworks"]));
  });

  it("fail on a Daraja client file that imports the simulator, and on nothing the simulator imports itself", async () => {
    const simulatorImports = (await cruiseFixture())
      .filter((violation) => violation.rule.name === "simulator-only-from-main")
      .map((violation) => [violation.from, violation.to]);
    expect(simulatorImports).toEqual([
      ["src/adapters/daraja/leaky-certificate.ts", "src/adapters/daraja-simulator/simulator-key.ts"],
    ]);
  });
});

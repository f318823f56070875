/**
 * `npm run simulate -- --steps N --seed S [--group-commit]`: drives PayMe's money use cases over in-memory adapters with a seeded
 * scheduler and checks the invariants after every step (see README, "Deterministic simulation"). Exits non-zero on
 * a violation, printing the seed and a shrunk trace that reproduces it. With `--group-commit`, callbacks come in
 * bursts and the trusted ones settle in groups, one transaction each (group commit).
 */
import { parseArgs } from "node:util";
import { planFor, runPlan, shrink } from "./simulation.ts";

const { values } = parseArgs({
  options: {
    steps: { type: "string", default: "10000" },
    seed: { type: "string", default: "1" },
    "group-commit": { type: "boolean", default: false },
  },
});
const steps = Number(values.steps);
const seed = Number(values.seed);
if (!Number.isInteger(steps) || steps < 1 || !Number.isInteger(seed) || seed < 0) {
  console.error(
    "usage: npm run simulate -- --steps <positive whole number> --seed <whole number> [--group-commit]",
  );
  process.exit(2);
}

const plan = planFor(seed, steps);
const started = performance.now();
const options = { groupCommit: values["group-commit"] };
const result = await runPlan(plan, options);
const seconds = (performance.now() - started) / 1000;
console.log(
  `seed ${seed}: ${result.steps} steps in ${seconds.toFixed(2)} s (${Math.round(result.steps / seconds)} steps/s)`,
);
if (options.groupCommit) {
  console.log(`group commit: ${result.groups} groups of several settlements committed`);
}

if (result.failedAt === null) {
  console.log("violations: none");
  process.exit(0);
}
console.log(`violations after step #${result.failedAt}:`);
for (const violation of result.violations) {
  console.log(`  [${violation.invariant}] ${violation.message}`);
}
const shrunk = await shrink(plan, result, options);
console.log(`\nseed ${seed}, shrunk from ${result.failedAt + 1} to ${shrunk.plan.length} steps:`);
for (const line of shrunk.result.trace) {
  console.log(`  ${line}`);
}
for (const violation of shrunk.result.violations) {
  console.log(`  ✗ [${violation.invariant}] ${violation.message}`);
}
process.exit(1);

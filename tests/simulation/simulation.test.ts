import { describe, expect, it } from "vitest";
import { planFor, runPlan, shrink } from "../../sim/simulation.ts";
import type { Repositories } from "../../src/application/ports/unit-of-work.ts";
import {
  creditingTwice,
  droppingAttentionEvents,
  duplicatingPayoutEvents,
  forgettingStockState,
  readingEveryPurchaseAsPending,
} from "./broken-adapters.ts";

const STEPS = 300;

describe("the deterministic simulation of the money use cases", () => {
  it.each([1, 2, 3, 4])(
    "seed %i: %i steps of initiations, callbacks, queries, crashes and clock jumps break no invariant",
    async (seed) => {
      const result = await runPlan(planFor(seed, STEPS));
      expect(result.violations).toEqual([]);
      expect(result.steps).toBe(STEPS);
    },
  );

  it("exercises every outcome: paid, cancelled, failed and expired payments of each kind, completed and failed payouts", async () => {
    const counts: Record<string, number> = {};
    for (const seed of [1, 2, 3, 4]) {
      for (const [key, n] of Object.entries((await runPlan(planFor(seed, STEPS))).counts)) {
        counts[key] = (counts[key] ?? 0) + n;
      }
    }
    for (const key of [
      "wallet_purchase:paid",
      "wallet_purchase:cancelled",
      "wallet_purchase:failed",
      "wallet_purchase:expired",
      "sale:paid",
      "sale:cancelled",
      "sale:failed",
      "sale:expired",
      "config_verification:paid",
      "payout:completed",
      "payout:failed",
      "payout:pending",
    ]) {
      expect(counts[key] ?? 0, key).toBeGreaterThan(0);
    }
  });

  it.each([1, 2])(
    "seed %i with group commit: callbacks in bursts, the trusted ones settled in groups, break no invariant",
    async (seed) => {
      const result = await runPlan(planFor(seed, STEPS), { groupCommit: true });
      expect(result.violations).toEqual([]);
      expect(result.steps).toBe(STEPS);
      expect(result.groups).toBeGreaterThan(0);
    },
  );

  it("replays a seed exactly: the same steps, the same outcomes", async () => {
    const first = await runPlan(planFor(7, 200));
    const second = await runPlan(planFor(7, 200));
    expect(second.trace).toEqual(first.trace);
    expect(second.counts).toEqual(first.counts);
    expect(first.trace.some((line) => line.includes("crashed"))).toBe(true);
  });
});

describe("the simulation has teeth: a broken adapter is caught", () => {
  const firstFailure = async (wrapRepositories: (r: Repositories) => Repositories) => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const plan = planFor(seed, 400);
      const result = await runPlan(plan, { wrapRepositories });
      if (result.failedAt !== null) {
        return { plan, result };
      }
    }
    throw new Error("no seed caught the broken adapter");
  };

  it.each([
    ["a ledger that credits twice", creditingTwice, "the wallet ledger equals the paid purchases' tokens"],
    [
      "a sale store that forgets the stock state",
      forgettingStockState,
      "stock + reserved + committed sales = initial stock + restocks",
    ],
    ["a purchase store that reads every purchase as pending", readingEveryPurchaseAsPending, null],
    [
      "an outbox that drops sale.needs_attention",
      droppingAttentionEvents,
      "the outbox has exactly one event per state change",
    ],
    [
      "an outbox that writes payout events twice",
      duplicatingPayoutEvents,
      "the outbox has exactly one event per state change",
    ],
  ] as const)("%s", async (_name, wrapRepositories, invariant) => {
    const { plan, result } = await firstFailure(wrapRepositories);
    if (invariant !== null) {
      expect(result.violations.map((v) => v.invariant)).toContain(invariant);
    }
    expect(result.violations.length).toBeGreaterThan(0);
    // The shrunk run is no longer than the failing prefix, and still fails the same way.
    const shrunk = await shrink(plan, result, { wrapRepositories }, 20_000);
    expect(shrunk.plan.length).toBeLessThanOrEqual((result.failedAt ?? 0) + 1);
    expect(shrunk.result.violations.map((v) => v.invariant)).toContain(result.violations[0]?.invariant);
    expect(await runPlan(shrunk.plan, { wrapRepositories })).toMatchObject({
      failedAt: shrunk.plan.length - 1,
    });
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { QueryPendingPayouts } from "../../src/application/payouts/query-pending-payouts.ts";
import type { UnitOfWork } from "../../src/application/ports/unit-of-work.ts";
import { resolve } from "../../src/main/tokens.ts";
import { seedOwner } from "../contracts/harness.ts";
import { aPayout, aPayoutConfig } from "../support/builders.ts";
import { deferred } from "../support/deferred.ts";
import { payMeSuite } from "../support/payme-server.ts";
import { jsonRequest, signUpThroughApi } from "../support/test-app.ts";
import { explainSkipUnlessPostgres, onPostgres } from "../support/test-database.ts";

explainSkipUnlessPostgres("concurrent payout claims (SKIP LOCKED) and concurrent status-query runs");

/** Pending payouts of one business, created at `createdAt` plus a second each. */
async function seedPendingPayouts(uow: UnitOfWork, count: number, createdAt: Date) {
  const { user, business } = await seedOwner(uow);
  const config = aPayoutConfig(business.id);
  const payouts = Array.from({ length: count }, (_, i) =>
    aPayout(business.id, user.id, {
      payoutConfigId: config.id,
      createdAt: new Date(createdAt.getTime() + i * 1000),
    }),
  );
  await uow.run(async (r) => {
    await r.payoutConfigs.add(config);
    for (const payout of payouts) {
      await r.payouts.add(payout);
    }
  });
  return new Set(payouts.map((p) => p.id));
}

describe.skipIf(!onPostgres())("payouts under concurrency, on PostgreSQL", () => {
  const suite = payMeSuite({ delayMs: 30 });
  let uow: MikroOrmUnitOfWork;
  beforeAll(() => {
    uow = new MikroOrmUnitOfWork(suite.database);
  });

  it("SKIP LOCKED: a second claimer takes other due payouts and does not wait for the first", async () => {
    const created = new Date("2031-01-01T00:00:00Z");
    const ours = await seedPendingPayouts(uow, 6, created);
    const criteria = {
      createdBefore: new Date(created.getTime() + 60_000),
      createdAfter: new Date(created.getTime() - 60_000),
      queriedBefore: new Date(created.getTime() + 60_000),
      limit: 3,
    };
    const firstClaimed = deferred<string[]>();
    const releaseFirst = deferred();
    const first = uow.run(async (r) => {
      const claimed = await r.payouts.claimForStatusQuery(criteria);
      firstClaimed.resolve(claimed.map((p) => p.id));
      await releaseFirst.promise;
    });
    const held = (await firstClaimed.promise).filter((id) => ours.has(id));
    let second: string[];
    try {
      second = (await uow.run((r) => r.payouts.claimForStatusQuery({ ...criteria, limit: 100 }))).map(
        (p) => p.id,
      );
    } finally {
      releaseFirst.resolve();
    }
    await first;
    expect(held).toHaveLength(3);
    expect(second.filter((id) => ours.has(id)).sort()).toEqual(
      [...ours].filter((id) => !held.includes(id)).sort(),
    );
  });

  it("concurrent payout config setups for one business leave exactly one active", async () => {
    const user = await signUpThroughApi(suite.payme.app);
    const setups = await Promise.all(
      ["600101", "600102", "600103", "600104", "600105"].map((shortcode) =>
        suite.payme.app.request(
          "/api/payout-config/setup",
          jsonRequest("POST", { shortcode, initiatorName: "testapi", initiatorPassword: "pw" }, user.token),
        ),
      ),
    );
    expect(setups.map((s) => s.status)).toEqual([201, 201, 201, 201, 201]);
    const rows = (await suite.database.orm.em
      .getConnection()
      .execute("select is_active from payout_configs where business_id = ?", [user.businessId])) as {
      is_active: boolean;
    }[];
    expect(rows).toHaveLength(5);
    expect(rows.filter((row) => row.is_active)).toHaveLength(1);
  });

  it("two status-query runs at once ask about each due payout once", async () => {
    const user = await signUpThroughApi(suite.payme.app);
    await suite.payme.app.request(
      "/api/payout-config/setup",
      jsonRequest(
        "POST",
        { shortcode: "600996", initiatorName: "testapi", initiatorPassword: "Safaricom999!*!" },
        user.token,
      ),
    );
    // Results that never come: every payout stays pending and becomes due once the grace period is over.
    suite.simulator.setDelayMs(600_000);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await suite.payme.app.request(
        "/api/payouts",
        jsonRequest(
          "POST",
          { businessId: user.businessId, phone: `07120000${10 + i}`, amount: 100 + i },
          user.token,
        ),
      );
      ids.push(((await response.json()) as { payout: { id: string } }).payout.id);
    }
    const before = suite.simulator.stats().transactionStatusRequests;
    const query = resolve(suite.payme.container, QueryPendingPayouts);
    const later = new Date(Date.now() + 120_000);
    const runs = await Promise.all([
      query.execute({ now: later, limit: 4 }),
      query.execute({ now: later, limit: 4 }),
    ]);
    const asked = await uow.run(async (r) => {
      const found = [];
      for (const id of ids) {
        found.push(await r.payouts.findById(id));
      }
      return found;
    });
    expect(asked.map((p) => p?.statusQueries)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(runs.reduce((sum, run) => sum + run.claimed, 0)).toBe(6);
    expect(suite.simulator.stats().transactionStatusRequests - before).toBe(6);
    // Asked within the grace period: not asked again.
    expect((await query.execute({ now: later, limit: 10 })).claimed).toBe(0);
  });
});

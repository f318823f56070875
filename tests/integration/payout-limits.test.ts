import { describe, expect, it } from "vitest";
import {
  SANDBOX_INITIATOR_NAME,
  SANDBOX_INITIATOR_PASSWORD,
} from "../../src/adapters/daraja-simulator/simulator-credentials.ts";
import { SIMULATOR_PHONES } from "../../src/adapters/daraja-simulator/simulator-outcomes.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { PORTS } from "../../src/main/tokens.ts";
import { aPayout, aPayoutConfig } from "../support/builders.ts";
import { deferred } from "../support/deferred.ts";
import { waitForLockWaiter } from "../support/lock-waiter.ts";
import { eventually, payMeSuite } from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi } from "../support/test-app.ts";
import { explainSkipUnlessPostgres, onPostgres, testDatabaseKinds } from "../support/test-database.ts";

type Json = Record<string, unknown>;
type PayoutConfigJson = { id: string; businessId: string; dailyLimit: number; perPayoutLimit: number } & Json;
type PayoutJson = { id: string; status: string; amount: number; createdAt: string } & Json;

const B2C = {
  shortcode: "600996",
  initiatorName: SANDBOX_INITIATOR_NAME,
  initiatorPassword: SANDBOX_INITIATOR_PASSWORD,
};

/** PayMe's clock in these suites: 10:00 in Nairobi, so "today" began at 00:00 EAT (21:00 UTC the day before). */
const NOW = new Date("2026-12-04T10:00:00+03:00");
const MIDNIGHT_EAT = new Date("2026-12-04T00:00:00+03:00");

describe.each(testDatabaseKinds())("payout limits and payout lists, on %s", (kind) => {
  const suite = payMeSuite({
    delayMs: 30,
    database: kind,
    override: (container) => container.register(PORTS.clock, { useValue: new ManualClock(NOW) }),
  });
  const app = () => suite.payme.app;

  /** A fresh user whose only business has a payout config. */
  const payer = async () => {
    const user = await signUpThroughApi(app());
    const setup = await app().request("/api/payout-config/setup", jsonRequest("POST", B2C, user.token));
    expect(setup.status).toBe(201);
    const { payoutConfig } = (await setup.json()) as { payoutConfig: PayoutConfigJson };
    return { ...user, payoutConfigId: payoutConfig.id };
  };
  const payOut = (token: string, body: Json) =>
    app().request("/api/payouts", jsonRequest("POST", body, token));
  const patchLimits = (token: string, body: Json) =>
    app().request("/api/payout-config", jsonRequest("PATCH", body, token));
  const payoutConfigOf = async (token: string, businessId?: string) => {
    const response = await app().request(
      `/api/payout-config${businessId === undefined ? "" : `?businessId=${businessId}`}`,
      bearer(token),
    );
    return {
      status: response.status,
      body: (await response.json()) as { payoutConfig: PayoutConfigJson } & Json,
    };
  };
  const listOf = async (token: string, businessId: string, query = "") => {
    const response = await app().request(`/api/businesses/${businessId}/payouts${query}`, bearer(token));
    return {
      status: response.status,
      body: (await response.json()) as { payouts: PayoutJson[]; nextCursor: string | null } & Json,
    };
  };
  /** Payouts written straight to the database, at chosen times and in chosen states. */
  const seed = async (
    owner: { userId: string; businessId: string; payoutConfigId: string },
    rows: { amount: number; createdAt: Date; status?: "pending" | "completed" | "failed" }[],
  ) => {
    const uow = new MikroOrmUnitOfWork(suite.database);
    const payouts = rows.map((row) => {
      const payout = aPayout(owner.businessId, owner.userId, {
        amount: row.amount,
        payoutConfigId: owner.payoutConfigId,
        createdAt: row.createdAt,
      });
      if (row.status === "completed") {
        payout.complete({
          receipt: `R${payout.id.slice(-9).replace(/-/g, "")}`,
          recipientName: null,
          at: NOW,
        });
      } else if (row.status === "failed") {
        payout.fail({ resultCode: "1", at: NOW });
      }
      return payout;
    });
    await uow.run(async (r) => {
      for (const payout of payouts) {
        await r.payouts.add(payout);
      }
    });
    return payouts.map((p) => p.id);
  };
  const problemOf = async (response: Response) => {
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    return (await response.json()) as { code: string; detail: string; errors?: { path: string }[] };
  };

  it("a payout config shows its limits (KES 100,000 a day, 70,000 a payout at first) and never the password", async () => {
    const user = await payer();
    const { status, body } = await payoutConfigOf(user.token);
    expect(status).toBe(200);
    expect(body.payoutConfig).toMatchObject({
      id: user.payoutConfigId,
      businessId: user.businessId,
      shortcode: "600996",
      dailyLimit: 100_000,
      perPayoutLimit: 70_000,
    });
    expect(JSON.stringify(body)).not.toContain(SANDBOX_INITIATOR_PASSWORD);
    expect((await payoutConfigOf(user.token, user.businessId)).status).toBe(200);

    const stranger = await signUpThroughApi(app());
    const foreign = await payoutConfigOf(stranger.token, user.businessId);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe("not_found");
    const none = await payoutConfigOf(stranger.token);
    expect(none.status).toBe(404);
    expect((await payoutConfigOf(user.token, "not-an-id")).status).toBe(400);
  });

  it("refuses a payout over the per-payout limit with 422 payout_limit_exceeded: nothing stored, nothing sent", async () => {
    const user = await payer();
    const before = suite.simulator.stats().b2cRequests;
    const response = await payOut(user.token, {
      businessId: user.businessId,
      phone: "0712345678",
      amount: 70_001,
    });
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem.code).toBe("payout_limit_exceeded");
    expect(problem.detail).toContain("per-payout limit of KES 70,000");
    expect(suite.simulator.stats().b2cRequests).toBe(before);
    expect((await listOf(user.token, user.businessId)).body.payouts).toEqual([]);

    const fine = await payOut(user.token, {
      businessId: user.businessId,
      phone: "0712345678",
      amount: 70_000,
    });
    expect(fine.status).toBe(202);
  });

  it("counts pending and completed payouts since midnight EAT towards the daily limit; failed ones and yesterday's do not", async () => {
    const user = await payer();
    await seed(user, [
      // Yesterday in Nairobi, by a millisecond: not today's.
      { amount: 60_000, createdAt: new Date(MIDNIGHT_EAT.getTime() - 1), status: "completed" },
      { amount: 30_000, createdAt: new Date(MIDNIGHT_EAT.getTime() - 1) },
      // Today: from midnight itself.
      { amount: 15_000, createdAt: MIDNIGHT_EAT, status: "completed" },
      { amount: 5_000, createdAt: new Date(MIDNIGHT_EAT.getTime() + 60_000) },
      // Failed: moved no money.
      { amount: 50_000, createdAt: new Date(MIDNIGHT_EAT.getTime() + 120_000), status: "failed" },
    ]);
    const ask = (amount: number) =>
      payOut(user.token, { businessId: user.businessId, phone: "0712345678", amount });

    expect((await ask(70_000)).status).toBe(202);
    const over = await ask(10_001);
    expect(over.status).toBe(422);
    const problem = await problemOf(over);
    expect(problem.code).toBe("payout_limit_exceeded");
    expect(problem.detail).toContain("daily limit of KES 100,000");
    expect(problem.detail).toContain("KES 90,000 is pending or paid out");
    expect(problem.detail).toContain("KES 10,000 is left today");
    expect((await ask(10_000)).status).toBe(202);
    expect((await ask(10)).status).toBe(422);
  });

  it("a payout that fails gives its amount back to the day", async () => {
    const user = await payer();
    const wrongPin = SIMULATOR_PHONES.wrongPin;
    expect((await patchLimits(user.token, { dailyLimit: 1_000 })).status).toBe(200);
    const failing = await payOut(user.token, { businessId: user.businessId, phone: wrongPin, amount: 1_000 });
    expect(failing.status).toBe(202);
    const { payout } = (await failing.json()) as { payout: PayoutJson };
    const ask = () => payOut(user.token, { businessId: user.businessId, phone: "0712345678", amount: 1_000 });
    await eventually(async () => {
      const response = await app().request(`/api/payouts/${payout.id}`, bearer(user.token));
      const { payout: current } = (await response.json()) as { payout: PayoutJson };
      return current.status === "failed" ? true : undefined;
    });
    expect((await ask()).status).toBe(202);
    expect((await ask()).status).toBe(422);
  });

  it("only the owner changes the limits; later payouts follow them, and a new setup keeps them", async () => {
    const user = await payer();
    const changed = await patchLimits(user.token, { dailyLimit: 5_000, perPayoutLimit: 2_000 });
    expect(changed.status).toBe(200);
    const { payoutConfig } = (await changed.json()) as { payoutConfig: PayoutConfigJson };
    expect(payoutConfig).toMatchObject({ id: user.payoutConfigId, dailyLimit: 5_000, perPayoutLimit: 2_000 });
    expect(JSON.stringify(payoutConfig)).not.toContain(SANDBOX_INITIATOR_PASSWORD);
    expect((await payoutConfigOf(user.token)).body.payoutConfig).toMatchObject({
      dailyLimit: 5_000,
      perPayoutLimit: 2_000,
    });

    const ask = (amount: number) =>
      payOut(user.token, { businessId: user.businessId, phone: "0712345678", amount });
    expect((await ask(2_001)).status).toBe(422);
    expect((await ask(2_000)).status).toBe(202);

    // One limit at a time; the other stays.
    const daily = await patchLimits(user.token, { businessId: user.businessId, dailyLimit: 2_500 });
    expect(((await daily.json()) as { payoutConfig: PayoutConfigJson }).payoutConfig).toMatchObject({
      dailyLimit: 2_500,
      perPayoutLimit: 2_000,
    });
    expect((await ask(501)).status).toBe(422);

    const replaced = await app().request(
      "/api/payout-config/setup",
      jsonRequest("POST", { ...B2C, shortcode: "600997" }, user.token),
    );
    expect(replaced.status).toBe(201);
    const { payoutConfig: fresh } = (await replaced.json()) as { payoutConfig: PayoutConfigJson };
    expect(fresh).toMatchObject({ shortcode: "600997", dailyLimit: 2_500, perPayoutLimit: 2_000 });
    expect((await ask(501)).status).toBe(422);
    expect((await ask(500)).status).toBe(202);

    const stranger = await signUpThroughApi(app());
    const foreign = await patchLimits(stranger.token, { businessId: user.businessId, dailyLimit: 1_000_000 });
    expect(foreign.status).toBe(404);
    expect((await problemOf(foreign)).code).toBe("not_found");
    expect((await payoutConfigOf(user.token)).body.payoutConfig.dailyLimit).toBe(2_500);
  });

  it("bounds the limits at the edge: whole shillings, 10 to 1,000,000,000 a day and 10 to 250,000 a payout", async () => {
    const user = await payer();
    const refused: Json[] = [
      { dailyLimit: 9 },
      { dailyLimit: 1_000_000_001 },
      { dailyLimit: 2 ** 31 },
      { dailyLimit: 1e300 },
      { dailyLimit: 5_000.5 },
      { dailyLimit: "5000" },
      { dailyLimit: null },
      { perPayoutLimit: 250_001 },
      { perPayoutLimit: -10 },
      { perPayoutLimit: 0 },
      {},
      { businessId: user.businessId },
    ];
    for (const body of refused) {
      const response = await patchLimits(user.token, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await problemOf(response)).code).toBe("validation_failed");
    }
    const edges = await patchLimits(user.token, { dailyLimit: 1_000_000_000, perPayoutLimit: 250_000 });
    expect(edges.status).toBe(200);
    const low = await patchLimits(user.token, { dailyLimit: 10, perPayoutLimit: 10 });
    expect(((await low.json()) as { payoutConfig: PayoutConfigJson }).payoutConfig).toMatchObject({
      dailyLimit: 10,
      perPayoutLimit: 10,
    });

    const noConfig = await signUpThroughApi(app());
    const missing = await patchLimits(noConfig.token, { dailyLimit: 5_000 });
    expect(missing.status).toBe(404);
    expect((await problemOf(missing)).code).toBe("not_found");
  });

  it("lists a business's payouts newest first, by status and by time (EAT unless a zone is given), a page at a time", async () => {
    const user = await payer();
    const at = (iso: string) => new Date(iso);
    const [yesterdayLate, early, noon, evening] = await seed(user, [
      { amount: 100, createdAt: at("2026-12-03T23:30:00+03:00"), status: "completed" },
      { amount: 200, createdAt: at("2026-12-04T00:15:00+03:00"), status: "failed" },
      { amount: 300, createdAt: at("2026-12-04T12:00:00+03:00") },
      { amount: 400, createdAt: at("2026-12-04T23:59:59.999+03:00"), status: "completed" },
    ]);
    const other = await payer();
    await seed(other, [{ amount: 999, createdAt: at("2026-12-04T12:00:00+03:00") }]);
    const ids = async (query: string) => {
      const { status, body } = await listOf(user.token, user.businessId, query);
      expect(status, query).toBe(200);
      return body.payouts.map((p) => p.id);
    };

    expect(await ids("")).toEqual([evening, noon, early, yesterdayLate]);
    expect(await ids("?status=completed")).toEqual([evening, yesterdayLate]);
    expect(await ids("?from=2026-12-04")).toEqual([evening, noon, early]);
    expect(await ids("?to=2026-12-03")).toEqual([yesterdayLate]);
    expect(await ids("?from=2026-12-04&to=2026-12-04")).toEqual([evening, noon, early]);
    expect(await ids("?from=2026-12-04T12:00&to=2026-12-04T12:00")).toEqual([noon]);
    expect(await ids("?from=2026-12-04T09:00:00Z")).toEqual([evening, noon]);
    expect(await ids(`?to=${encodeURIComponent("2026-12-04T11:59:59+03:00")}`)).toEqual([
      early,
      yesterdayLate,
    ]);
    expect(await ids("?status=pending&from=2026-12-04&to=2026-12-05")).toEqual([noon]);

    const first = await listOf(user.token, user.businessId, "?limit=3");
    expect(first.body.payouts.map((p) => p.id)).toEqual([evening, noon, early]);
    expect(first.body.nextCursor).toBe(early);
    const second = await listOf(user.token, user.businessId, `?limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.payouts.map((p) => p.id)).toEqual([yesterdayLate]);
    expect(second.body.nextCursor).toBeNull();
    expect(second.body.payouts[0]).toMatchObject({ amount: 100, status: "completed" });

    for (const query of [
      "?status=paid",
      "?from=yesterday",
      "?to=2026-02-30",
      "?from=2026-12-05&to=2026-12-04",
      "?limit=0",
      "?limit=201",
      "?cursor=nope",
    ]) {
      const { status, body } = await listOf(user.token, user.businessId, query);
      expect(status, query).toBe(400);
      expect(body.code, query).toBe("validation_failed");
    }
    const stranger = await signUpThroughApi(app());
    expect((await listOf(stranger.token, user.businessId)).status).toBe(404);
    expect((await listOf(user.token, "not-an-id")).status).toBe(400);
  });
});

explainSkipUnlessPostgres("concurrent payouts against one daily limit (row locks)");

describe.skipIf(!onPostgres())("the daily limit under concurrent payouts, on PostgreSQL", () => {
  const suite = payMeSuite({ delayMs: 30 });

  it("payouts sent at once never together go over the daily limit", async () => {
    const user = await signUpThroughApi(suite.payme.app);
    const setup = await suite.payme.app.request(
      "/api/payout-config/setup",
      jsonRequest("POST", B2C, user.token),
    );
    expect(setup.status).toBe(201);
    const limited = await suite.payme.app.request(
      "/api/payout-config",
      jsonRequest("PATCH", { dailyLimit: 1_000 }, user.token),
    );
    expect(limited.status).toBe(200);

    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        suite.payme.app.request(
          "/api/payouts",
          jsonRequest(
            "POST",
            { businessId: user.businessId, phone: `07123450${10 + i}`, amount: 300 },
            user.token,
          ),
        ),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([202, 202, 202, 422, 422, 422, 422, 422]);
    const rows = (await suite.database.orm.em
      .fork()
      .getConnection()
      .execute(
        "select coalesce(sum(amount), 0)::int as total, count(*)::int as n from payouts where business_id = ?",
        [user.businessId],
      )) as { total: number; n: number }[];
    expect(rows[0]).toEqual({ total: 900, n: 3 });
  });

  it("a payout or limit change that waits on a config being replaced gets the config that replaced it", async () => {
    const user = await signUpThroughApi(suite.payme.app);
    await suite.payme.app.request("/api/payout-config/setup", jsonRequest("POST", B2C, user.token));
    const uow = new MikroOrmUnitOfWork(suite.database);
    const replacing = deferred<string>();
    const commit = deferred();
    // A setup, held open after it deactivated the old config (whose row it holds) and added the new one.
    const setup = uow.run(async (r) => {
      const old = await r.payoutConfigs.findActiveByBusiness(user.businessId, { lock: true });
      if (old === null) {
        throw new Error("no payout config");
      }
      old.deactivate();
      await r.payoutConfigs.update(old);
      const fresh = aPayoutConfig(user.businessId, { shortcode: "600997" });
      await r.payoutConfigs.add(fresh);
      replacing.resolve(fresh.id);
      await commit.promise;
    });
    const freshId = await replacing.promise;
    const waiting = uow.run((r) => r.payoutConfigs.findActiveByBusiness(user.businessId, { lock: true }));
    try {
      await waitForLockWaiter(suite.database);
    } finally {
      commit.resolve();
    }
    await setup;
    // PostgreSQL skips the row that stopped being active while this waited; the new one must still be found.
    expect((await waiting)?.id).toBe(freshId);
  });

  it("payouts and setups of one business at once neither deadlock nor fail", async () => {
    const user = await signUpThroughApi(suite.payme.app);
    await suite.payme.app.request("/api/payout-config/setup", jsonRequest("POST", B2C, user.token));
    for (let round = 0; round < 3; round += 1) {
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          i % 2 === 0
            ? suite.payme.app.request(
                "/api/payout-config/setup",
                jsonRequest("POST", { ...B2C, shortcode: `60020${i}` }, user.token),
              )
            : suite.payme.app.request(
                "/api/payouts",
                jsonRequest(
                  "POST",
                  { businessId: user.businessId, phone: `07123452${round}${i}`, amount: 10 },
                  user.token,
                ),
              ),
        ),
      );
      expect(
        answers.map((a) => a.status),
        `round ${round}`,
      ).toEqual([201, 202, 201, 202, 201, 202, 201, 202]);
    }
  });

  it("a limit change that races setups is never lost: the active config ends with it", async () => {
    const user = await signUpThroughApi(suite.payme.app);
    await suite.payme.app.request("/api/payout-config/setup", jsonRequest("POST", B2C, user.token));
    for (const [round, dailyLimit] of [4_321, 5_432, 6_543].entries()) {
      const [changed, ...setups] = await Promise.all([
        suite.payme.app.request("/api/payout-config", jsonRequest("PATCH", { dailyLimit }, user.token)),
        ...["600101", "600102", "600103"].map((shortcode) =>
          suite.payme.app.request(
            "/api/payout-config/setup",
            jsonRequest("POST", { ...B2C, shortcode }, user.token),
          ),
        ),
      ]);
      expect(changed?.status, `round ${round}`).toBe(200);
      expect(setups.map((s) => s.status)).toEqual([201, 201, 201]);
      const { payoutConfig } = (await (
        await suite.payme.app.request("/api/payout-config", bearer(user.token))
      ).json()) as { payoutConfig: PayoutConfigJson };
      expect(payoutConfig.dailyLimit, `round ${round}`).toBe(dailyLimit);
    }
  });
});

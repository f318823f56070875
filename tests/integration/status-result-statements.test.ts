import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RandomCallbackSecrets } from "../../src/adapters/crypto/random-callback-secrets.ts";
import { UuidV7IdGenerator } from "../../src/adapters/ids/uuid-v7-id-generator.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { lookupResultKind } from "../../src/application/lookups/receive-lookup-result.ts";
import { payoutCallbackKind } from "../../src/application/payouts/receive-payout-callback.ts";
import { refundsFollowPayouts } from "../../src/application/refunds/refunds-follow-payouts.ts";
import type { B2cResult } from "../../src/application/shared/daraja-notifications.ts";
import { ReceiveStatusResult } from "../../src/application/shared/receive-status-result.ts";
import type { LookupOutcome } from "../../src/domain/lookup-query.ts";
import { seedOwner } from "../contracts/harness.ts";
import { aPayout, aPayoutConfig, aStatusQuery, T0, unwrap } from "../support/builders.ts";
import { openTestDatabase } from "../support/test-database.ts";

/** A Transaction Status result saying the queried transaction completed, as both kinds read it. */
const completed = (originatorConversationId: string) => {
  const result: B2cResult = {
    resultType: 0,
    resultCode: "0",
    resultDesc: "The service request has been accepted successfully.",
    originatorConversationId: `status-${originatorConversationId}`,
    conversationId: null,
    transactionId: "UAB1234567",
    receipt: "UAB1234567",
    amount: 500,
    recipientName: null,
    completedAt: null,
    transactionStatus: "Completed",
    parameters: { OriginatorConversationID: originatorConversationId, ReceiptNo: "UAB1234567" },
  };
  const outcome: LookupOutcome = {
    type: "transaction",
    transaction: {
      receipt: "UAB1234567",
      status: "Completed",
      amount: 500,
      debitParty: null,
      creditParty: null,
      completedAt: null,
      reasonType: null,
    },
  };
  return { kind: "status_result" as const, result, outcome };
};

/**
 * The shared Transaction Status paths find a result's owner in one statement, whatever its kind: a payout's
 * result used to pay a transaction of its own reading the look-ups first, then the payout's.
 */
describe("the statements of a Transaction Status result", () => {
  let database: Database;
  let drop: () => Promise<void>;
  let executed: { mock: { calls: unknown[][] }; mockClear: () => void } | null = null;
  const secrets = new RandomCallbackSecrets();

  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase());
    executed = vi.spyOn(database.orm.em.getConnection(), "execute");
  });
  afterAll(() => drop());

  const receiver = () => {
    const ids = new UuidV7IdGenerator();
    return new ReceiveStatusResult({
      uow: new MikroOrmUnitOfWork(database),
      ids,
      clock: new ManualClock(T0),
      callbackSecrets: secrets,
      kinds: {
        payout: payoutCallbackKind({ ids, payoutFollower: refundsFollowPayouts }),
        lookup: lookupResultKind,
      },
    });
  };

  /** The statements run before the first write since `executed` was cleared: the reads that found the owner. */
  const readsBeforeFirstWrite = () => {
    const statements = (executed?.mock.calls ?? []).map(([sql]) =>
      typeof sql === "string" ? sql : "(query builder)",
    );
    const firstWrite = statements.findIndex((sql) => /^\s*(update|insert|with)\b/i.test(sql));
    return statements.slice(0, firstWrite === -1 ? statements.length : firstWrite);
  };

  it("settles a payout's status result after one read, which finds the payout before any look-up", async () => {
    const uow = new MikroOrmUnitOfWork(database);
    const { user, business } = await seedOwner(uow);
    const config = aPayoutConfig(business.id);
    const payout = aPayout(business.id, user.id, { payoutConfigId: config.id });
    const { token, hash } = secrets.issue();
    unwrap(payout.recordStatusQuery(hash, T0));
    await uow.run(async (r) => {
      await r.payoutConfigs.add(config);
      await r.payouts.add(payout);
    });

    executed?.mockClear();
    const received = await receiver().execute({
      token,
      callback: completed(payout.originatorConversationId),
      body: {},
      path: "/api/mpesa/status/result/***",
    });
    expect(received).toMatchObject({ owner: "payout", trusted: true, disposition: "applied" });
    const reads = readsBeforeFirstWrite();
    expect(reads).toHaveLength(1);
    // One statement: the payouts' sub-select first, the look-ups' only when it finds nothing.
    const [read = ""] = reads;
    expect(read.indexOf('"payouts"')).toBeGreaterThan(-1);
    expect(read.indexOf('"payouts"')).toBeLessThan(read.indexOf('"lookup_queries"'));
    expect((await uow.read((r) => r.payouts.findById(payout.id)))?.status).toBe("completed");
  });

  it("settles a look-up's result after the same one read", async () => {
    const uow = new MikroOrmUnitOfWork(database);
    const { business } = await seedOwner(uow);
    const { token, hash } = secrets.issue();
    const query = aStatusQuery(business.id, hash);
    await uow.run((r) => r.lookupQueries.add(query));

    executed?.mockClear();
    const received = await receiver().execute({
      token,
      callback: completed("not-a-payout"),
      body: {},
      path: "/api/mpesa/status/result/***",
    });
    expect(received).toMatchObject({
      owner: "lookup",
      trusted: true,
      disposition: "applied",
      targetId: query.id,
    });
    expect(readsBeforeFirstWrite()).toHaveLength(1);
    expect((await uow.read((r) => r.lookupQueries.findById(query.id)))?.status).toBe("completed");
  });
});

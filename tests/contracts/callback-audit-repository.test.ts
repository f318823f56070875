import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InMemoryUnitOfWork } from "../../src/adapters/in-memory/in-memory-unit-of-work.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { PurgeCallbackAudit } from "../../src/application/operations/purge-callback-audit.ts";
import type { CallbackRecord } from "../../src/application/ports/callback-audit-repository.ts";
import type { UnitOfWork } from "../../src/application/ports/unit-of-work.ts";
import { anId, T0 } from "../support/builders.ts";
import { openTestDatabase, testDatabaseKinds } from "../support/test-database.ts";

const DAY = 86_400_000;

const aRecord = (receivedAt: Date, overrides: Partial<CallbackRecord> = {}): CallbackRecord => ({
  id: anId(),
  receivedAt,
  kind: "stk_callback",
  path: "/api/mpesa/callback/[token]",
  trusted: true,
  checkoutRequestId: `ws_CO_${anId()}`,
  paymentRef: null,
  disposition: "applied",
  body: { Body: { stkCallback: { ResultCode: 0 } } },
  ...overrides,
});

/** The in-memory adapter, and the database adapter on PostgreSQL (when there is one) and on PGlite. */
const adapters: [string, () => Promise<{ uow: UnitOfWork; close: () => Promise<void> }>][] = [
  ["in-memory", async () => ({ uow: new InMemoryUnitOfWork(), close: async () => undefined })],
  ...testDatabaseKinds().map(
    (kind): [string, () => Promise<{ uow: UnitOfWork; close: () => Promise<void> }>] => [
      kind,
      async () => {
        const { database, drop } = await openTestDatabase(kind);
        return { uow: new MikroOrmUnitOfWork(database), close: drop };
      },
    ],
  ),
];

describe.each(adapters)("CallbackAuditRepository.purgeReceivedBefore — %s", (_name, open) => {
  let adapter: { uow: UnitOfWork; close: () => Promise<void> } | null = null;
  beforeAll(async () => {
    adapter = await open();
  });
  afterAll(() => adapter?.close());
  const uow = () => {
    if (adapter === null) {
      throw new Error("not open");
    }
    return adapter.uow;
  };

  it("deletes at most `limit` records received before the cutoff, oldest first, and keeps the rest", async () => {
    const paymentRef = `wallet_purchase:${anId()}`;
    // Six records, 0 to 5 days old.
    const records = [0, 1, 2, 3, 4, 5].map((days) =>
      aRecord(new Date(T0.getTime() - days * DAY), { paymentRef }),
    );
    await uow().run(async (r) => {
      for (const record of records) {
        await r.callbackAudit.record(record);
      }
    });
    const cutoff = new Date(T0.getTime() - 2.5 * DAY);
    expect(await uow().run((r) => r.callbackAudit.purgeReceivedBefore(cutoff, 2))).toBe(2);
    // The two oldest went first.
    expect(await uow().run((r) => r.callbackAudit.findById(records[5]?.id ?? ""))).toBeNull();
    expect(await uow().run((r) => r.callbackAudit.findById(records[3]?.id ?? ""))).not.toBeNull();
    expect(await uow().run((r) => r.callbackAudit.purgeReceivedBefore(cutoff, 2))).toBe(1);
    expect(await uow().run((r) => r.callbackAudit.purgeReceivedBefore(cutoff, 2))).toBe(0);
    const kept = await uow().run((r) => r.callbackAudit.listByPayment(paymentRef));
    expect(kept.map((record) => record.id)).toEqual([records[2]?.id, records[1]?.id, records[0]?.id]);
  });

  it("through PurgeCallbackAudit: what is older than CALLBACK_AUDIT_DAYS goes, in bounded batches", async () => {
    // What earlier tests left would be old enough to go too: start from an empty trail.
    await uow().run((r) => r.callbackAudit.purgeReceivedBefore(new Date(T0.getTime() + DAY), 1000));
    const clock = new ManualClock(new Date(T0.getTime() + 1000 * DAY));
    const now = clock.now().getTime();
    const paymentRef = `sale:${anId()}`;
    const old = Array.from({ length: 12 }, (_, i) => aRecord(new Date(now - (91 + i) * DAY), { paymentRef }));
    const recent = aRecord(new Date(now - 89 * DAY), { paymentRef });
    await uow().run(async (r) => {
      for (const record of [...old, recent]) {
        await r.callbackAudit.record(record);
      }
    });
    const purge = new PurgeCallbackAudit({ uow: uow(), clock, callbackAuditDays: 90 });
    // At most five batches a round: 10 of the 12, then the last 2.
    expect(await purge.execute({ limit: 2 })).toBe(10);
    expect(await purge.execute({ limit: 2 })).toBe(2);
    expect(await purge.execute({ limit: 2 })).toBe(0);
    expect((await uow().run((r) => r.callbackAudit.listByPayment(paymentRef))).map((r) => r.id)).toEqual([
      recent.id,
    ]);
  });
});

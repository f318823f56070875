import { describe, expect, it } from "vitest";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { anId } from "../support/builders.ts";
import { openTestDatabase, testDatabaseKinds } from "../support/test-database.ts";

const BEFORE = "migration-20261126083944-reconciliation-schedule";

/**
 * The migration that adds push outcomes keeps every existing row, and tells what it can about each: accepted when
 * Daraja named the push (or payout), unknown while it is still open, and nothing (legacy) for a row PayMe stored
 * failed without a ResultCode, whose push answer may have been a refusal or only unclear.
 */
describe.each(testDatabaseKinds())("the push outcome migration, on %s", (kind) => {
  it("keeps existing rows and fills in what they say about their push", async () => {
    const { database, drop } = await openTestDatabase(kind);
    try {
      const migrator = database.orm.getMigrator();
      await migrator.down({ to: BEFORE });
      const sql = database.orm.em.fork().getConnection();
      const userId = anId();
      await sql.execute(
        `insert into "users" ("id", "email", "name", "password_hash", "created_at") values (?, ?, 'Old', 'x', now())`,
        [userId, `old-${userId}@example.com`],
      );
      const purchase = async (
        status: string,
        fields: { checkout?: string; resultCode?: string; flagged?: boolean } = {},
      ) => {
        const id = anId();
        await sql.execute(
          `insert into "wallet_purchases" ("id", "status", "amount", "phone", "checkout_request_id", "callback_token_hash", "result_code", "needs_attention", "attention_reason", "created_at", "user_id", "tokens") values (?, ?, 10, '254712345678', ?, ?, ?, ?, ?, now(), ?, 10)`,
          [
            id,
            status,
            fields.checkout ?? null,
            `hash-${id}`,
            fields.resultCode ?? null,
            fields.flagged === true,
            fields.flagged === true ? "M-Pesa reports 1 paid, but 10 was asked" : null,
            userId,
          ],
        );
        return id;
      };
      const rows = {
        accepted: await purchase("pending", { checkout: `ws_CO_${anId()}` }),
        unanswered: await purchase("pending"),
        expired: await purchase("expired"),
        legacyFailed: await purchase("failed"),
        reportedFailed: await purchase("failed", { checkout: `ws_CO_${anId()}`, resultCode: "1037" }),
        mismatch: await purchase("pending", { checkout: `ws_CO_${anId()}`, flagged: true }),
      };

      const businessId = anId();
      const payoutConfigId = anId();
      await sql.execute(
        `insert into "businesses" ("id", "owner_id", "name", "created_at") values (?, ?, 'Old Duka', now())`,
        [businessId, userId],
      );
      await sql.execute(
        `insert into "payout_configs" ("id", "business_id", "shortcode", "initiator_name", "initiator_password_sealed", "is_active", "created_at") values (?, ?, '600996', 'testapi', 'v1.sealed', true, now())`,
        [payoutConfigId, businessId],
      );
      const payout = async (status: string, conversationId: string | null, resultCode: string | null) => {
        const id = anId();
        await sql.execute(
          `insert into "payouts" ("id", "business_id", "requested_by", "payout_config_id", "amount", "phone", "command_id", "remarks", "originator_conversation_id", "conversation_id", "callback_token_hash", "status", "result_code", "created_at") values (?, ?, ?, ?, 100, '254712345678', 'BusinessPayment', 'Old', ?, ?, ?, ?, ?, now())`,
          [
            id,
            businessId,
            userId,
            payoutConfigId,
            `oc-${id}`,
            conversationId,
            `hash-${id}`,
            status,
            resultCode,
          ],
        );
        return id;
      };
      const payouts = {
        sent: await payout("pending", "AG_20260101_old", null),
        unanswered: await payout("pending", null, null),
        legacyRefused: await payout("failed", null, null),
        reportedFailed: await payout("failed", "AG_20260101_old2", "2040"),
      };

      await migrator.up();

      const uow = new MikroOrmUnitOfWork(database);
      const load = (id: string) => uow.run((r) => r.walletPurchases.findById(id));
      const outcomes = await Promise.all(
        Object.entries(rows).map(async ([name, id]) => {
          const row = await load(id);
          return [name, row?.status, row?.pushOutcome, row?.attentionKind];
        }),
      );
      expect(outcomes).toEqual([
        ["accepted", "pending", "accepted", null],
        ["unanswered", "pending", "unknown", null],
        ["expired", "expired", "unknown", null],
        ["legacyFailed", "failed", null, null],
        ["reportedFailed", "failed", "accepted", null],
        ["mismatch", "pending", "accepted", "blocking"],
      ]);
      const payoutOutcomes = await Promise.all(
        Object.entries(payouts).map(async ([name, id]) => {
          const row = await uow.run((r) => r.payouts.findById(id));
          return [name, row?.status, row?.pushOutcome, row?.needsAttention];
        }),
      );
      expect(payoutOutcomes).toEqual([
        ["sent", "pending", "accepted", false],
        ["unanswered", "pending", "unknown", false],
        ["legacyRefused", "failed", null, false],
        ["reportedFailed", "failed", "accepted", false],
      ]);
      // A legacy failure is left as it is: a success now changes nothing.
      const legacy = await load(rows.legacyFailed);
      expect(legacy?.failedLocally).toBe(false);
      expect(legacy?.markPaid({ receipt: "R1", amount: 10, phone: null, at: new Date() }).ok).toBe(false);
      // The flagged payment is still left out of the reconciler's claims; the open one is claimed.
      const claimed = await uow.run((r) =>
        r.walletPurchases.claimOpen({
          now: new Date(Date.now() + 60_000),
          createdBefore: new Date(Date.now() + 60_000),
          limit: 100,
        }),
      );
      const ids = claimed.map((p) => p.id);
      expect(ids).toContain(rows.accepted);
      expect(ids).not.toContain(rows.mismatch);
    } finally {
      await drop();
    }
  });
});

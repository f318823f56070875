import { describe, expect, it } from "vitest";
import { openTestDatabase, testDatabaseKinds } from "../support/test-database.ts";

const BEFORE = "migration-20261204190200-payment-config-initiator";

describe.each(testDatabaseKinds())("the webhooks migration, on %s", (kind) => {
  it("goes down to the bare outbox and up again", async () => {
    const { database, drop } = await openTestDatabase(kind);
    try {
      const sql = database.orm.em.fork().getConnection();
      const tables = async () =>
        (
          await sql.execute<{ found: string | null }[]>(
            `select to_regclass('webhook_endpoints')::text as found union all select to_regclass('webhook_deliveries')::text union all select to_regclass('webhook_attempts')::text`,
          )
        ).map((row) => row.found);
      const dispatchedColumn = async () =>
        (
          await sql.execute<{ n: number }[]>(
            `select count(*)::int as n from information_schema.columns where table_name = 'outbox_events' and column_name = 'dispatched_at'`,
          )
        )[0]?.n;
      expect(await tables()).toEqual(["webhook_endpoints", "webhook_deliveries", "webhook_attempts"]);
      expect(await dispatchedColumn()).toBe(1);
      const migrator = database.orm.getMigrator();
      await migrator.down({ to: BEFORE });
      expect(await tables()).toEqual([null, null, null]);
      expect(await dispatchedColumn()).toBe(0);
      await migrator.up();
      expect(await tables()).toEqual(["webhook_endpoints", "webhook_deliveries", "webhook_attempts"]);
      expect(await dispatchedColumn()).toBe(1);
    } finally {
      await drop();
    }
  });
});

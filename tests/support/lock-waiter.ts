import type { Database } from "../../src/adapters/persistence/database.ts";

/** Waits until some transaction on the database is waiting for a lock (PostgreSQL); throws after 5 seconds. */
export async function waitForLockWaiter(database: Database): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const rows = await database.orm.em
      .fork()
      .execute<{ waiting: string }[]>(
        "select count(*) as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
      );
    if (Number(rows[0]?.waiting) > 0) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("no transaction ever waited on the row lock");
}

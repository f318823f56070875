import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { Database } from "../../src/adapters/persistence/database.ts";
import { adminQuery, withDatabase } from "./postgres-admin.ts";

/** True when this run has a real PostgreSQL server (row locks and SKIP LOCKED can be tested). */
export function onPostgres(): boolean {
  return inject("testDatabase").kind === "postgres";
}

/** Prints, once per file, why PostgreSQL-only tests are skipped. */
export function explainSkipUnlessPostgres(what: string): void {
  if (!onPostgres()) {
    console.info(
      `[tests] skipped on PGlite: ${what} needs PostgreSQL, because PGlite serialises every transaction`,
    );
  }
}

/** Which database a test runs on: the run's server (PostgreSQL, or PGlite without one), or embedded PGlite. */
export type TestDatabaseKind = "postgres" | "pglite";

/**
 * The databases a behaviour must hold on: PostgreSQL (when this run has one) and embedded PGlite, the zero-setup
 * default. Use with `describe.each(testDatabaseKinds())`; tests of row locks stay on PostgreSQL only.
 */
export function testDatabaseKinds(): TestDatabaseKind[] {
  return onPostgres() ? ["postgres", "pglite"] : ["pglite"];
}

/**
 * A database of this test file's own, migrated and empty: a clone of the run's template on PostgreSQL,
 * or an in-memory PGlite (always, with `kind: "pglite"`). `drop` removes it.
 */
export async function openTestDatabase(
  kind: TestDatabaseKind = onPostgres() ? "postgres" : "pglite",
): Promise<{ database: Database; drop: () => Promise<void> }> {
  const server = inject("testDatabase");
  if (server.kind === "pglite" || kind === "pglite") {
    const database = await Database.open({ kind: "pglite", dataDir: null });
    await database.migrate();
    return { database, drop: () => database.close() };
  }
  const name = `${server.runId}_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await adminQuery(server.adminUrl, `create database "${name}" template "${server.template}"`);
  const database = await Database.open({ kind: "postgres", url: withDatabase(server.adminUrl, name) });
  return {
    database,
    drop: async () => {
      await database.close();
      await adminQuery(server.adminUrl, `drop database if exists "${name}" with (force)`);
    },
  };
}

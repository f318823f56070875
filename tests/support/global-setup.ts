import type { TestProject } from "vitest/node";
import { Database } from "../../src/adapters/persistence/database.ts";
import { adminQuery, type TestDatabaseServer, withDatabase } from "./postgres-admin.ts";

declare module "vitest" {
  export interface ProvidedContext {
    testDatabase: TestDatabaseServer;
  }
}

/**
 * Chooses the database the tests run on, once per run:
 * 1. DATABASE_URL set: a fresh, migrated template database on that server; each test file clones its own.
 * 2. Else PostgreSQL in a container (testcontainers), the same way.
 * 3. Else embedded PGlite, one in-memory instance per test file.
 * Every database the run creates is dropped when it ends.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `payme_test_${process.pid}_${Date.now().toString(36)}`;
  const fromEnv = process.env.DATABASE_URL;
  let adminUrl: string | null = fromEnv !== undefined && fromEnv !== "" ? fromEnv : null;
  let stopContainer: (() => Promise<unknown>) | null = null;

  if (adminUrl === null) {
    try {
      const { PostgreSqlContainer } = await import("@testcontainers/postgresql");
      const container = await new PostgreSqlContainer("postgres:16-alpine").start();
      adminUrl = container.getConnectionUri();
      stopContainer = () => container.stop();
    } catch (error) {
      console.info(
        `[tests] no DATABASE_URL and no container runtime (${(error as Error).message.split("\n")[0]}): ` +
          "running on embedded PGlite; PostgreSQL-only tests are skipped",
      );
    }
  }

  if (adminUrl === null) {
    project.provide("testDatabase", { kind: "pglite" });
    return async () => undefined;
  }

  const template = `${runId}_template`;
  await adminQuery(adminUrl, `create database "${template}"`);
  const database = await Database.open(
    { kind: "postgres", url: withDatabase(adminUrl, template) },
    { poolMax: 2 },
  );
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
  project.provide("testDatabase", { kind: "postgres", adminUrl, template, runId });

  return async () => {
    const leftovers = await adminQuery(adminUrl, "select datname from pg_database where datname like $1", [
      `${runId}%`,
    ]);
    for (const { datname } of leftovers) {
      await adminQuery(adminUrl, `drop database if exists "${datname}" with (force)`);
    }
    await stopContainer?.();
  };
}

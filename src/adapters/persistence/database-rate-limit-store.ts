import { RateLimiterPostgres } from "rate-limiter-flexible";
import type { RateLimitStore } from "../http/auth-rate-limiter.ts";
import type { Database } from "./database.ts";
import { RATE_LIMITS_TABLE } from "./rows/rate-limit-row.ts";

/** The part of knex's client that rate-limiter-flexible uses with `storeType: "knex"`: its connection pool. */
type ConnectionPool = {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<void> | void;
};

/** What rate-limiter-flexible asks of a connection: node-postgres's `query({ text, values })`. */
type QueryConnection = {
  query(query: { text: string; values?: readonly unknown[] }): Promise<{ rows: unknown[]; rowCount: number }>;
};

/** PGlite's own query API, as knex-pglite hands out its one connection. */
type PGliteConnection = {
  query(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: Record<string, unknown>[]; affectedRows?: number }>;
};

/**
 * The embedded database's single connection, dressed as node-postgres for rate-limiter-flexible. It is taken
 * from knex's pool like any other query, so a rate-limit statement waits for an open transaction to end
 * instead of running inside it. `expire` is a bigint: returned as text, as node-postgres returns it.
 */
function pgliteAsPostgres(pool: ConnectionPool): ConnectionPool {
  const raw = new WeakMap<object, unknown>();
  return {
    acquireConnection: async () => {
      const acquired = await pool.acquireConnection();
      const pglite = acquired as PGliteConnection;
      const connection: QueryConnection = {
        query: async ({ text, values }) => {
          const result = await pglite.query(text, values === undefined ? [] : [...values]);
          const rows = result.rows.map((row) =>
            typeof row.expire === "bigint" ? { ...row, expire: row.expire.toString() } : row,
          );
          return { rows, rowCount: Math.max(rows.length, result.affectedRows ?? 0) };
        },
      };
      raw.set(connection, acquired);
      return connection;
    },
    releaseConnection: (connection) =>
      pool.releaseConnection(
        typeof connection === "object" && connection !== null ? raw.get(connection) : connection,
      ),
  };
}

/**
 * Rate-limit counts in the database's `rate_limits` table (created by a migration: the library is told it
 * exists), through the ORM's connection pool. On PostgreSQL every instance shares them; on the embedded database
 * they survive a restart. Every five minutes the library deletes the counts that expired over an hour ago (one
 * limiter does it: they share the table).
 */
export function databaseRateLimitStore(database: Database): RateLimitStore {
  const knex = database.orm.em.getKnex();
  const pool = knex.client as unknown as ConnectionPool;
  const storeClient = database.target.kind === "pglite" ? { client: pgliteAsPostgres(pool) } : knex;
  let sweeper = true;
  return (options) => {
    const limiter = new RateLimiterPostgres({
      ...options,
      storeClient,
      storeType: "knex",
      tableName: RATE_LIMITS_TABLE,
      tableCreated: true,
      clearExpiredByTimeout: sweeper,
    });
    sweeper = false;
    return limiter;
  };
}

import pg from "pg";

/** What `tryRun` did: ran the work (and what it answered), or left it because the lock was held elsewhere. */
export type ExclusiveRun<T> = { readonly ran: true; readonly value: T } | { readonly ran: false };

/**
 * A named lock that every instance of PayMe sees: `tryRun` runs the work only if nobody else holds the lock,
 * holds it for the work's whole duration, and never waits for it.
 */
export interface ClusterLock {
  tryRun<T>(name: string, work: () => Promise<T>): Promise<ExclusiveRun<T>>;
}

/** PayMe's class of advisory lock: the two-key form keeps these apart from any single-key advisory lock. */
const LOCK_CLASS = 72_076_350;

/**
 * A PostgreSQL session-level advisory lock (`pg_try_advisory_lock`), taken on a connection of its own for the
 * work's duration, outside any transaction: the work may call Daraja, and no transaction stays open across that.
 * If the instance dies, its connection closes and PostgreSQL releases the lock.
 */
export class PostgresClusterLock implements ClusterLock {
  constructor(private readonly url: string) {}

  async tryRun<T>(name: string, work: () => Promise<T>): Promise<ExclusiveRun<T>> {
    const connection = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 3_000 });
    await connection.connect();
    try {
      const key = [LOCK_CLASS, name];
      const taken = await connection.query<{ locked: boolean }>(
        "select pg_try_advisory_lock($1, hashtext($2)) as locked",
        key,
      );
      if (taken.rows[0]?.locked !== true) {
        return { ran: false };
      }
      try {
        return { ran: true, value: await work() };
      } finally {
        await connection.query("select pg_advisory_unlock($1, hashtext($2))", key);
      }
    } finally {
      await connection.end();
    }
  }
}

/** The same lock within one process: for a single instance (embedded PGlite, or no database at all). */
export class LocalClusterLock implements ClusterLock {
  private readonly held = new Set<string>();

  async tryRun<T>(name: string, work: () => Promise<T>): Promise<ExclusiveRun<T>> {
    if (this.held.has(name)) {
      return { ran: false };
    }
    this.held.add(name);
    try {
      return { ran: true, value: await work() };
    } finally {
      this.held.delete(name);
    }
  }
}

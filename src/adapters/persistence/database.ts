import { mkdir } from "node:fs/promises";
import type { PGlite } from "@electric-sql/pglite";
import { type LoggerNamespace, MikroORM } from "@mikro-orm/core";
import type { AbstractSqlDriver, SqlEntityManager } from "@mikro-orm/postgresql";
import pg from "pg";
import { baseOrmOptions } from "./orm-options.ts";
import { PgBossWebhookJobs } from "./pg-boss-webhook-jobs.ts";

/** Where the data lives: a PostgreSQL server, or embedded PGlite (on disk, or in memory when `dataDir` is null). */
export type DatabaseTarget =
  | { readonly kind: "postgres"; readonly url: string }
  | { readonly kind: "pglite"; readonly dataDir: string | null };

/** The ORM over either driver: both speak PostgreSQL through knex. */
export type SqlOrm = MikroORM<AbstractSqlDriver, SqlEntityManager>;

/**
 * knex puts the failed statement in front of the driver's error message, with every bound value written into it
 * unless told not to: a callback's whole body would then reach the logs with any error. Without them the statement
 * keeps its placeholders; the logger still leaves the statement out (see safe-error.ts).
 */
const ERRORS_WITHOUT_VALUES = { compileSqlOnError: false } as const;

/** A key shared by every PayMe instance, so that only one migrates at a time. */
const MIGRATION_LOCK_KEY = 7_207_635_001;

/** An open database: the ORM, the webhook queue (pg-boss), their migrations and a liveness probe. */
export class Database {
  /** The webhook queue's jobs (pg-boss, in its own schema), on the ORM's connections. */
  readonly webhookJobs: PgBossWebhookJobs;

  private constructor(
    readonly orm: SqlOrm,
    readonly target: DatabaseTarget,
    private readonly pglite: PGlite | null,
  ) {
    this.webhookJobs = new PgBossWebhookJobs(orm, target.kind === "pglite");
  }

  static async open(
    target: DatabaseTarget,
    options: { log?: (message: string) => void; debug?: LoggerNamespace[]; poolMax?: number } = {},
  ): Promise<Database> {
    // MikroORM's own messages (applied migrations, debug queries) go to the caller's logger, never to stdout.
    const common = {
      ...baseOrmOptions(),
      debug: options.debug ?? false,
      logger: options.log ?? (() => undefined),
    };
    if (target.kind === "postgres") {
      const orm = await MikroORM.init<AbstractSqlDriver, SqlEntityManager>({
        ...common,
        clientUrl: target.url,
        // Fail fast when the server is away, so that callers (a callback being spooled, /ready) are not held up.
        pool: { min: 0, max: options.poolMax ?? 10, acquireTimeoutMillis: 5_000 },
        driverOptions: { ...ERRORS_WITHOUT_VALUES, connection: { connectionTimeoutMillis: 3_000 } },
      });
      return new Database(orm, target, null);
    }
    if (target.dataDir !== null) {
      await mkdir(target.dataDir, { recursive: true });
    }
    // Loaded only here: the embedded database's code costs a server on PostgreSQL some 40 MB it never uses.
    const [{ PGlite }, { PGliteDriver }] = await Promise.all([
      import("@electric-sql/pglite"),
      import("mikro-orm-pglite"),
    ]);
    const pglite = target.dataDir === null ? new PGlite() : new PGlite(target.dataDir);
    await pglite.waitReady;
    const orm = await MikroORM.init<AbstractSqlDriver, SqlEntityManager>({
      ...common,
      driver: PGliteDriver,
      dbName: "postgres",
      driverOptions: { ...ERRORS_WITHOUT_VALUES, connection: { pglite: () => pglite } },
    });
    return new Database(orm, target, pglite);
  }

  /**
   * Applies pending migrations, then installs (or upgrades) pg-boss's schema and the webhook queue, and gives a
   * job to any pending delivery without one. On PostgreSQL a session-level advisory lock is held meanwhile, so
   * that several instances starting together migrate one after another instead of racing; the later ones find
   * nothing to do.
   */
  async migrate(): Promise<string[]> {
    if (this.target.kind === "pglite") {
      return this.applyMigrations();
    }
    const lock = new pg.Client({ connectionString: this.target.url });
    await lock.connect();
    try {
      await lock.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      try {
        return await this.applyMigrations();
      } finally {
        await lock.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
      }
    } finally {
      await lock.end();
    }
  }

  private async applyMigrations(): Promise<string[]> {
    const applied = await this.orm.getMigrator().up();
    await this.webhookJobs.install();
    return applied.map((migration) => migration.name);
  }

  /** True when the database answers a query. */
  async isReachable(): Promise<boolean> {
    try {
      await this.orm.em.fork().getConnection().execute("select 1");
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.webhookJobs.stop();
    await this.orm.close(true);
    if (this.pglite !== null && !this.pglite.closed) {
      await this.pglite.close();
    }
  }
}

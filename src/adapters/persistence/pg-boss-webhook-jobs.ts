import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import type { AbstractSqlDriver, SqlEntityManager } from "@mikro-orm/postgresql";
import PgBoss from "pg-boss";
import type {
  WebhookJob,
  WebhookJobQueue,
  WebhookJobRequest,
} from "../../application/ports/webhook-job-queue.ts";
import { inForkTransaction } from "./fork-transaction.ts";

/** The ORM over either driver (database.ts's SqlOrm, named here without importing it back). */
type SqlOrm = MikroORM<AbstractSqlDriver, SqlEntityManager>;

/** pg-boss keeps its tables in a schema of its own. */
export const PG_BOSS_SCHEMA = "pgboss";
/** The pg-boss queue of webhook attempts: one job per attempt, its data the delivery's id. */
export const WEBHOOK_QUEUE = "webhook-delivery";
/**
 * How long a taken job may stay taken before pg-boss's maintenance hands it out again: longer than an attempt can
 * take (its 10-second timeout and the writes around it), so a live instance never loses its job, and short enough
 * that the jobs of an instance killed mid-attempt come back soon.
 */
export const JOB_EXPIRY_SECONDS = 30;
/** How often pg-boss's maintenance runs (on one instance at a time): expiry, archiving, deletion. */
const MAINTENANCE_SECONDS = 15;
/**
 * How often an expired job may come back. Only expiry (a crash, or a database that failed under an attempt) uses
 * pg-boss's retries: PayMe's own schedule sends a new job for every retry.
 */
const EXPIRY_RETRIES = 100;
/**
 * How long a job may wait, once due, before pg-boss's maintenance archives it unfetched: a fortnight, longer than
 * any outage PayMe's instances should have.
 */
const KEEP_DUE_JOBS_MS = 14 * 86_400_000;
/** Pending deliveries given a job per transaction when orphans are adopted. */
const ADOPT_BATCH = 500;

/** A connection as knex's pool hands it out: a `pg` client, or the PGlite instance itself. */
type RawConnection = {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  exec?(text: string): Promise<{ rows: unknown[] }[]>;
};
type ConnectionSource = {
  acquireConnection(): Promise<RawConnection>;
  releaseConnection(connection: RawConnection): Promise<unknown>;
};

/**
 * pg-boss's `db`: its SQL runs on a connection from knex, so it shares MikroORM's pool. Inside a transaction the
 * source is the transaction's own client, whose "acquire" answers the transaction's connection: a job sent or
 * completed there commits or rolls back with the rest. On PGlite (one connection, no socket) this is also what
 * keeps pg-boss's statements out of a transaction that is open on it; parameterless SQL, which may hold several
 * statements (pg-boss's schema, its maintenance), goes to `exec`, the rest to `query`.
 */
function sqlOn(source: () => ConnectionSource, embedded: boolean, pooled: boolean): PgBoss.Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      const client = source();
      const connection = await client.acquireConnection();
      try {
        if (embedded && (values === undefined || values.length === 0) && connection.exec !== undefined) {
          const results = await connection.exec(text);
          return results.at(-1) ?? { rows: [] };
        }
        return await connection.query(
          text,
          values?.map((value) => (value === undefined ? null : value)),
        );
      } catch (error) {
        // pg-boss's maintenance and schema SQL carry their own BEGIN … COMMIT: one that failed half-way leaves
        // its transaction open on the connection, which must not go back to the pool (or stay on PGlite) so.
        if (pooled && /\bBEGIN\b/.test(text)) {
          await connection.query("ROLLBACK").catch(() => undefined);
        }
        throw error;
      } finally {
        await client.releaseConnection(connection);
      }
    },
  };
}

/** The connections of `em`: its transaction's when one is open, the pool's otherwise. */
function connectionsOf(em: SqlEntityManager): () => ConnectionSource {
  return () => {
    const transaction = em.getTransactionContext<{ client: ConnectionSource }>();
    return transaction?.client ?? (em.getConnection().getKnex().client as ConnectionSource);
  };
}

/** pg-boss's `complete` takes (name, ids, output, options); its typings leave out `output` for several ids. */
type CompleteMany = (
  name: string,
  ids: string[],
  output: null,
  options: PgBoss.ConnectionOptions,
) => Promise<unknown>;

/**
 * PayMe's webhook queue on pg-boss 10, over MikroORM's connections, on PostgreSQL and PGlite alike. `install`
 * creates pg-boss's schema and the queue (with the migrations); `start` runs pg-boss's maintenance (expiry of
 * jobs taken by an instance that died, archiving, deletion), which `stop` ends. Jobs are sent, fetched and
 * completed through `inTransaction`, on the unit of work's transaction.
 */
export class PgBossWebhookJobs {
  /** Sends, fetches and completes jobs; never started, so it runs no timer. */
  private readonly boss: PgBoss;
  private readonly db: PgBoss.Db;
  /** The instance running the maintenance timer, between `start` and `stop` (a stopped pg-boss stays stopped). */
  private running: Promise<PgBoss> | null = null;

  constructor(
    private readonly orm: SqlOrm,
    private readonly embedded: boolean,
  ) {
    this.db = sqlOn(() => orm.em.getConnection().getKnex().client as ConnectionSource, embedded, true);
    this.boss = this.pgBoss({ supervise: false });
  }

  /** A pg-boss on PayMe's schema and connections, with neither cron schedules nor state monitoring. */
  private pgBoss(options: { supervise: boolean; migrate?: boolean }): PgBoss {
    return new PgBoss({
      db: this.db,
      schema: PG_BOSS_SCHEMA,
      // The schema is created by `install` (with the migrations); a running server only checks it.
      migrate: options.migrate ?? false,
      // No cron schedules: the timekeeper would poll a queue of its own.
      schedule: false,
      supervise: options.supervise,
      maintenanceIntervalSeconds: MAINTENANCE_SECONDS,
      // Jobs are only wake-ups (the delivery rows keep the record): done ones are archived after an hour and
      // deleted a day later.
      archiveCompletedAfterSeconds: 3600,
      deleteAfterDays: 1,
    });
  }

  /** The queue's port on `em`'s transaction (or on the pool outside one). */
  inTransaction(em: SqlEntityManager): WebhookJobQueue {
    const pooled = em.getTransactionContext() === undefined;
    return new PgBossJobQueue(this.boss, sqlOn(connectionsOf(em), this.embedded, pooled));
  }

  /**
   * Creates pg-boss's schema (or migrates it to this pg-boss's version) and the webhook queue, then gives a job
   * to every pending delivery that has no live one (rows from before the queue moved to pg-boss, or whose job
   * ran out of expiry retries). Every step may run again, and on several instances at once.
   */
  async install(): Promise<number> {
    const installer = this.pgBoss({ supervise: false, migrate: true });
    installer.on("error", () => undefined);
    await installer.start();
    try {
      const queue = {
        name: WEBHOOK_QUEUE,
        policy: "standard",
        expireInSeconds: JOB_EXPIRY_SECONDS,
        retryLimit: EXPIRY_RETRIES,
        retryDelay: 0,
        retryBackoff: false,
      } as const;
      await installer.createQueue(WEBHOOK_QUEUE, queue);
      await installer.updateQueue(WEBHOOK_QUEUE, queue);
    } finally {
      await installer.stop({ graceful: false, close: false });
    }
    return this.adoptOrphans();
  }

  private async adoptOrphans(): Promise<number> {
    let adopted = 0;
    for (;;) {
      // Not em.transactional: see inForkTransaction (its AsyncLocalStorage would slow every request afterwards).
      const batch = await inForkTransaction(this.orm, async (tx) => {
        const rows = await tx.execute<{ id: string; next_attempt_at: Date }[]>(
          `select d."id", d."next_attempt_at" from "webhook_deliveries" d
           where d."status" = 'pending'
             and (d."job_id" is null or not exists (
               select 1 from "${PG_BOSS_SCHEMA}"."job" j
               where j."name" = ? and j."id" = d."job_id" and j."state" < 'completed'))
           order by d."next_attempt_at" limit ? for update of d skip locked`,
          [WEBHOOK_QUEUE, ADOPT_BATCH],
        );
        const jobs = this.inTransaction(tx);
        const ids = await jobs.sendAll(
          rows.map((row) => ({ deliveryId: row.id, startAfter: new Date(row.next_attempt_at) })),
        );
        for (const [i, row] of rows.entries()) {
          await tx.execute(
            `update "webhook_deliveries" set "job_id" = ? where "id" = ?`,
            [ids[i], row.id],
            "run",
          );
        }
        return rows.length;
      });
      adopted += batch;
      if (batch < ADOPT_BATCH) {
        return adopted;
      }
    }
  }

  /**
   * Starts pg-boss's maintenance (its timers), reporting its failures to `onError`. Safe to call again: a start
   * that failed (the database away) is tried again by the next call.
   */
  async start(onError: (error: unknown) => void): Promise<void> {
    this.running ??= (async () => {
      // Asked first, so that a database that is away fails here and not half-way through pg-boss's start.
      if (!(await this.boss.isInstalled())) {
        throw new Error("pg-boss's schema is not installed: run the migrations");
      }
      const maintenance = this.pgBoss({ supervise: true });
      maintenance.on("error", onError);
      await maintenance.start();
      return maintenance;
    })().catch((error: unknown) => {
      this.running = null;
      throw error;
    });
    await this.running;
  }

  /** Runs pg-boss's maintenance once, now (what its timer does): expiry, archiving, deletion. */
  async maintain(): Promise<void> {
    await this.boss.maintain();
  }

  /** Stops pg-boss's maintenance timer. */
  async stop(): Promise<void> {
    const running = this.running;
    this.running = null;
    const maintenance = await running?.catch(() => null);
    await maintenance?.stop({ graceful: false, close: false });
  }
}

/** The port on one connection source: jobs carry `{ deliveryId }`. */
class PgBossJobQueue implements WebhookJobQueue {
  constructor(
    private readonly boss: PgBoss,
    private readonly db: PgBoss.Db,
  ) {}

  async sendAll(requests: readonly WebhookJobRequest[]): Promise<string[]> {
    if (requests.length === 0) {
      return [];
    }
    // pg-boss counts the wait from startAfter; a job due in the past (a delivery handed back, or adopted) gets
    // its fortnight from now.
    const keepFrom = Date.now();
    const jobs = requests.map((request) => ({
      id: randomUUID(),
      name: WEBHOOK_QUEUE,
      data: { deliveryId: request.deliveryId },
      startAfter: request.startAfter,
      keepUntil: new Date(Math.max(request.startAfter.getTime(), keepFrom) + KEEP_DUE_JOBS_MS),
    }));
    await this.boss.insert(jobs, { db: this.db });
    return jobs.map((job) => job.id);
  }

  async fetch(limit: number): Promise<WebhookJob[]> {
    const jobs = await this.boss.fetch<{ deliveryId?: unknown }>(WEBHOOK_QUEUE, {
      batchSize: limit,
      db: this.db,
    });
    const taken: WebhookJob[] = [];
    const malformed: string[] = [];
    for (const job of jobs) {
      if (typeof job.data?.deliveryId === "string") {
        taken.push({ id: job.id, deliveryId: job.data.deliveryId });
      } else {
        malformed.push(job.id);
      }
    }
    if (malformed.length > 0) {
      await this.complete(malformed);
    }
    return taken;
  }

  async complete(jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) {
      return;
    }
    await (this.boss.complete as unknown as CompleteMany)(WEBHOOK_QUEUE, [...jobIds], null, { db: this.db });
  }
}

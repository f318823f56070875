import type {
  Repositories,
  SettlementLock,
  SettlementUnitOfWork,
} from "../../../application/ports/unit-of-work.ts";
import type { SqlOrm } from "../database.ts";
import type { PgBossWebhookJobs } from "../pg-boss-webhook-jobs.ts";
import type { MikroOrmPaymentLocatorRepository } from "./mikro-orm-payment-locator-repository.ts";
import { MikroOrmUnitOfWork, mikroOrmRepositories } from "./mikro-orm-unit-of-work.ts";
import { SettlementBatch } from "./settlement-batch.ts";

export type GroupCommitOptions = {
  /** The most settlements in one transaction (SETTLEMENT_BATCH_MAX); 1 gives each its own, as before. */
  readonly max: number;
  /**
   * How long settlements that arrive while a group is in flight wait for it to commit before another group
   * starts beside it (SETTLEMENT_BATCH_WINDOW_MS).
   */
  readonly windowMs: number;
  /** The most groups in flight at once (each holds one connection). */
  readonly inFlight: number;
  /** Told each group's size as it commits (1 for a settlement alone), and each group rolled back to retry. */
  readonly observer?: {
    settlementGroup(size: number): void;
    settlementGroupRetried(reason: "work_failed" | "write_failed"): void;
  };
};

type Waiting = {
  readonly lock: SettlementLock;
  readonly work: (r: Repositories) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
};

/**
 * Group commit for the settlements of trusted callbacks: the ones that arrive while a settlement transaction is
 * in flight are applied together in the next one.
 * - A settlement arriving when none is in flight starts at once (with any that arrived in the same turn of the
 *   event loop): under light load it costs what one transaction did.
 * - Those arriving while groups are in flight wait for one to commit, for SETTLEMENT_BATCH_MAX of them to
 *   gather, or for the window to pass, whichever comes first, and then go together.
 * - A group locks its payments in one statement in id order, runs each settlement's own work in turn (the same
 *   domain code as alone), and writes with one multi-row statement per table (SettlementBatch). Every caller's
 *   promise settles after the commit.
 * - A work that throws rolls the group back: it is run again alone, in a transaction of its own (its caller gets
 *   that outcome), and the others again as a group without it. When the group fails at its writes or its commit
 *   (a deadlock with another instance, say), each settlement is run again alone.
 */
export class GroupCommitSettlements implements SettlementUnitOfWork {
  private readonly waiting: Waiting[] = [];
  private running = 0;
  private scheduled = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly alone: MikroOrmUnitOfWork;

  private readonly orm: SqlOrm;
  private readonly webhookJobs: PgBossWebhookJobs;

  /** Over a Database: its ORM, and its webhook queue (whose jobs are written in the same transactions). */
  constructor(
    database: { readonly orm: SqlOrm; readonly webhookJobs: PgBossWebhookJobs },
    private readonly options: GroupCommitOptions,
  ) {
    this.orm = database.orm;
    this.webhookJobs = database.webhookJobs;
    this.alone = new MikroOrmUnitOfWork(database);
  }

  settle<T>(lock: SettlementLock, work: (r: Repositories) => Promise<T>): Promise<T> {
    if (this.options.max <= 1) {
      return this.alone.run(work);
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ lock, work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running >= this.options.inFlight) {
      return; // The next commit starts the next group.
    }
    if (this.running === 0 || this.waiting.length >= this.options.max) {
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.startGroup();
        });
      }
      return;
    }
    if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.startGroup();
      }, this.options.windowMs);
    }
  }

  private startGroup(): void {
    if (this.waiting.length === 0 || this.running >= this.options.inFlight) {
      return;
    }
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const group = this.waiting.splice(0, this.options.max);
    this.running++;
    void this.runGroup(group).finally(() => {
      this.running--;
      this.startGroup();
      if (this.waiting.length > 0) {
        this.schedule();
      }
    });
  }

  private async runAlone(item: Waiting): Promise<void> {
    try {
      const result = await this.alone.run(item.work);
      this.options.observer?.settlementGroup(1);
      item.resolve(result);
    } catch (error) {
      item.reject(error);
    }
  }

  private async runGroup(group: Waiting[]): Promise<void> {
    if (group.length <= 1) {
      await Promise.all(group.map((item) => this.runAlone(item)));
      return;
    }
    const em = this.orm.em.fork();
    let failed = -1;
    try {
      await em.begin();
      const transaction = em.getTransactionContext();
      if (transaction === undefined) {
        throw new Error("the database transaction did not begin");
      }
      const batch = new SettlementBatch(em);
      const repositories = mikroOrmRepositories(em, this.webhookJobs, batch);
      await (repositories.paymentLocators as MikroOrmPaymentLocatorRepository).lockPayments(
        group.map((item) => item.lock),
      );
      const results: unknown[] = [];
      for (const [index, item] of group.entries()) {
        failed = index;
        results.push(await item.work(repositories));
      }
      failed = -1;
      await batch.flush();
      await em.getConnection("write").commit(transaction);
      this.options.observer?.settlementGroup(group.length);
      group.forEach((item, index) => {
        item.resolve(results[index]);
      });
    } catch {
      await em.rollback().catch(() => undefined);
      this.options.observer?.settlementGroupRetried(failed === -1 ? "write_failed" : "work_failed");
      if (failed === -1) {
        await Promise.all(group.map((item) => this.runAlone(item)));
      } else {
        const bad = group[failed] as Waiting;
        await Promise.all([this.runAlone(bad), this.runGroup(group.filter((item) => item !== bad))]);
      }
    }
  }
}

import type {
  Repositories,
  SettlementLock,
  SettlementUnitOfWork,
  UnitOfWork,
} from "../../application/ports/unit-of-work.ts";

type Waiting = {
  readonly work: (r: Repositories) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
};

/**
 * Group commit over any unit of work, without the database's multi-row statements: the settlements given in one
 * turn of the event loop run one after another in one `run` (up to `max` of them), and each caller's promise
 * settles after it commits. A work that throws rolls the group back: it runs again alone (its caller gets that
 * outcome) and the others again as a group; when the commit itself fails, each runs again alone. What
 * GroupCommitSettlements does on PostgreSQL, with the same outcomes: the simulation's group-commit mode runs it
 * over the in-memory tables.
 */
export class InMemoryGroupedSettlements implements SettlementUnitOfWork {
  private waiting: Waiting[] = [];
  private scheduled = false;
  /** How many groups of more than one settlement committed (for the simulation's report). */
  groupsCommitted = 0;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly max = 64,
  ) {}

  settle<T>(_lock: SettlementLock, work: (r: Repositories) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          void this.runAll();
        });
      }
    });
  }

  private async runAll(): Promise<void> {
    while (this.waiting.length > 0) {
      await this.runGroup(this.waiting.splice(0, this.max));
    }
  }

  private async runAlone(item: Waiting): Promise<void> {
    try {
      item.resolve(await this.uow.run(item.work));
    } catch (error) {
      item.reject(error);
    }
  }

  private async runGroup(group: readonly Waiting[]): Promise<void> {
    if (group.length <= 1) {
      await Promise.all(group.map((item) => this.runAlone(item)));
      return;
    }
    let failed = -1;
    try {
      const results = await this.uow.run(async (r) => {
        const results: unknown[] = [];
        for (const [index, item] of group.entries()) {
          failed = index;
          results.push(await item.work(r));
        }
        failed = -1;
        return results;
      });
      this.groupsCommitted += 1;
      group.forEach((item, index) => {
        item.resolve(results[index]);
      });
    } catch {
      if (failed === -1) {
        for (const item of group) {
          await this.runAlone(item);
        }
      } else {
        const bad = group[failed] as Waiting;
        await this.runAlone(bad);
        await this.runGroup(group.filter((item) => item !== bad));
      }
    }
  }
}

import type {
  PushFilter,
  PushLogRepository,
  PushRecord,
  PushWindowQuery,
} from "../../application/ports/push-log-repository.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { insertRow } from "./table-helpers.ts";

const matches = (push: PushRecord, filter: PushFilter): boolean =>
  (filter.kind === undefined || push.kind === filter.kind) &&
  (filter.userId === undefined || push.userId === filter.userId) &&
  (filter.businessId === undefined || push.businessId === filter.businessId) &&
  (filter.phone === undefined || push.phone === filter.phone);

/** The push log in a map. Its transactions run one at a time, so its locks have nothing to hold. */
export class InMemoryPushLogRepository implements PushLogRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async lock(_keys: readonly string[]): Promise<void> {
    // Nothing to hold: no other transaction runs until this one has ended.
  }

  async nthNewest(queries: readonly PushWindowQuery[]): Promise<(Date | null)[]> {
    const pushes = [...this.tables.pushLog.values()];
    return queries.map((query) => {
      const times = pushes
        .filter((push) => push.createdAt > query.since && matches(push, query.filter))
        .map((push) => push.createdAt)
        .sort((a, b) => b.getTime() - a.getTime());
      return times[Math.max(0, Math.trunc(query.nth) - 1)] ?? null;
    });
  }

  async add(push: PushRecord): Promise<void> {
    insertRow(this.tables.pushLog, { ...push }, "stk_push_log");
  }

  async addUnlessFull(
    push: PushRecord,
    queries: readonly PushWindowQuery[],
  ): Promise<{ nth: (Date | null)[]; added: boolean }> {
    const nth = await this.nthNewest(queries);
    const added = nth.every((time) => time === null);
    if (added) {
      await this.add(push);
    }
    return { nth, added };
  }

  async purgeBefore(before: Date): Promise<number> {
    let purged = 0;
    for (const [id, push] of this.tables.pushLog) {
      if (push.createdAt < before) {
        this.tables.pushLog.delete(id);
        purged += 1;
      }
    }
    return purged;
  }
}

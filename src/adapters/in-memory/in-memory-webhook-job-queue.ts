import { randomUUID } from "node:crypto";
import type {
  WebhookJob,
  WebhookJobQueue,
  WebhookJobRequest,
} from "../../application/ports/webhook-job-queue.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";

/** How long a taken job stays taken before it comes back, as pg-boss's expiry does on a database. */
export const IN_MEMORY_JOB_EXPIRY_MS = 30_000;

/**
 * The webhook queue of the in-memory adapters (fast tests and demos), behind the same port as pg-boss: jobs are
 * due by the real clock, like the database's `now()`, a taken job comes back once it expires, and a completed one
 * is forgotten. Writes roll back with the transaction, like every in-memory table.
 */
export class InMemoryWebhookJobQueue implements WebhookJobQueue {
  constructor(
    private readonly tables: InMemoryTables,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async sendAll(requests: readonly WebhookJobRequest[]): Promise<string[]> {
    return requests.map((request) => {
      const id = randomUUID();
      this.tables.webhookJobs.set(id, { id, ...request, takenAt: null });
      return id;
    });
  }

  async fetch(limit: number): Promise<WebhookJob[]> {
    const now = this.now().getTime();
    const due = [...this.tables.webhookJobs.values()]
      .filter((job) =>
        job.takenAt === null
          ? job.startAfter.getTime() <= now
          : job.takenAt.getTime() + IN_MEMORY_JOB_EXPIRY_MS < now,
      )
      .slice(0, limit);
    for (const job of due) {
      this.tables.webhookJobs.set(job.id, { ...job, takenAt: new Date(now) });
    }
    return due.map((job) => ({ id: job.id, deliveryId: job.deliveryId }));
  }

  async complete(jobIds: readonly string[]): Promise<void> {
    for (const id of jobIds) {
      this.tables.webhookJobs.delete(id);
    }
  }
}

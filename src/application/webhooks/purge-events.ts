import type { Clock } from "../ports/clock.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";

const DAY_MS = 86_400_000;

/** Batches one round may purge: a backlog is worked off over several rounds. */
const MAX_BATCHES = 5;

/**
 * Purges events older than EVENT_RETENTION_DAYS, with their deliveries and attempts, for the reconciler: in
 * batches of `limit`, each its own short transaction. Answers how many events it purged.
 */
export class PurgeEvents {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"outbox">;
      readonly clock: Clock;
      readonly eventRetentionDays: number;
    },
  ) {}

  async execute(input: { readonly limit: number }): Promise<number> {
    const cutoff = new Date(this.deps.clock.now().getTime() - this.deps.eventRetentionDays * DAY_MS);
    let purged = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
      const deleted = await this.deps.uow.run((r) => r.outbox.purgeCreatedBefore(cutoff, input.limit));
      purged += deleted;
      if (deleted < input.limit) {
        break;
      }
    }
    return purged;
  }
}

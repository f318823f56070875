import type { Clock } from "../ports/clock.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";

const DAY_MS = 86_400_000;

/** Batches one round may purge: a backlog (a first run after months) is worked off over several rounds. */
const MAX_BATCHES = 5;

/**
 * Purges callback audit records older than CALLBACK_AUDIT_DAYS, for the reconciler: in batches of `limit`, each
 * its own short transaction, at most MAX_BATCHES a round. Answers how many records it purged.
 */
export class PurgeCallbackAudit {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"callbackAudit">;
      readonly clock: Clock;
      readonly callbackAuditDays: number;
    },
  ) {}

  async execute(input: { readonly limit: number }): Promise<number> {
    const cutoff = new Date(this.deps.clock.now().getTime() - this.deps.callbackAuditDays * DAY_MS);
    let purged = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
      const deleted = await this.deps.uow.run((r) =>
        r.callbackAudit.purgeReceivedBefore(cutoff, input.limit),
      );
      purged += deleted;
      if (deleted < input.limit) {
        break;
      }
    }
    return purged;
  }
}

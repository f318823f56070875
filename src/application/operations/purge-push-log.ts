import type { Clock } from "../ports/clock.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { PUSH_LOG_RETENTION_MS } from "../shared/push-limits.ts";

/** Drops the pushes no push limit counts any more (older than the longest window), for the reconciler. */
export class PurgePushLog {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"pushLog">; readonly clock: Clock }) {}

  execute(): Promise<number> {
    const before = new Date(this.deps.clock.now().getTime() - PUSH_LOG_RETENTION_MS);
    return this.deps.uow.run((r) => r.pushLog.purgeBefore(before));
  }
}

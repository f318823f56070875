import type { PullOutcome } from "../../application/c2b/pull-c2b-payments.ts";
import type { Clock } from "../../application/ports/clock.ts";
import type { ClusterLock } from "../persistence/cluster-lock.ts";

/** The lock every instance's schedule takes for its pull. */
const LOCK_NAME = "c2b-pull";

/**
 * The reconciler's pull of missed C2B confirmations: due every `everyMs` on each instance, and run by one instance
 * at a time. An instance whose pull is due while another is pulling skips it (the other covers the same 48 hours)
 * and waits for its next turn.
 */
export class C2bPullSchedule {
  private lastRun = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: {
      readonly pull: () => Promise<PullOutcome>;
      readonly lock: ClusterLock;
      readonly clock: Clock;
      readonly everyMs: number;
    },
  ) {}

  async run(): Promise<PullOutcome | "not due" | "pulling elsewhere"> {
    const now = this.deps.clock.now().getTime();
    if (now - this.lastRun < this.deps.everyMs) {
      return "not due";
    }
    this.lastRun = now;
    const pulled = await this.deps.lock.tryRun(LOCK_NAME, this.deps.pull);
    return pulled.ran ? pulled.value : "pulling elsewhere";
  }
}

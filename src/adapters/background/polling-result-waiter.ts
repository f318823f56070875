import type { ResultWaiter } from "../../application/ports/result-waiter.ts";

export type PollingResultWaiterOptions = {
  /** How long a request waits at most. */
  readonly timeoutMs: number;
  /** How often it asks again. */
  readonly intervalMs: number;
  /** How many requests may wait at once; one more answers at once. */
  readonly maxWaiting: number;
  /** Aborted when the process begins to shut down: every wait ends at once. */
  readonly signal: AbortSignal;
};

/**
 * Waits by asking again every `intervalMs` (a row in the shared database, which a callback on any instance
 * updates), until an answer, the deadline, or the shutdown signal. At most `maxWaiting` requests wait at once:
 * beyond that a request is answered without waiting, so that a burst of look-ups cannot hold connections and
 * database round trips without bound.
 */
export class PollingResultWaiter implements ResultWaiter {
  private waiting = 0;

  constructor(private readonly options: PollingResultWaiterOptions) {}

  /** How many requests wait now. */
  get current(): number {
    return this.waiting;
  }

  async waitFor<T>(check: () => Promise<T | null>): Promise<T | null> {
    const { signal, timeoutMs, intervalMs, maxWaiting } = this.options;
    if (signal.aborted || this.waiting >= maxWaiting) {
      return null;
    }
    this.waiting += 1;
    try {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const answer = await check();
        if (answer !== null) {
          return answer;
        }
        const left = deadline - performance.now();
        if (left <= 0 || signal.aborted) {
          return null;
        }
        await pause(Math.min(intervalMs, left), signal);
      }
    } finally {
      this.waiting -= 1;
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const finish = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", finish);
      done();
    };
    const timer = setTimeout(finish, ms);
    signal.addEventListener("abort", finish, { once: true });
  });
}

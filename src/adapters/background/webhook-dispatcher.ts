import type { Logger } from "pino";

/** What the dispatcher runs: the fan-out of new events, and one round of deliveries. */
export type WebhookWork = {
  /** Hands new outbox events to the queue; answers how many. */
  readonly fanOut: () => Promise<number>;
  /** Takes due jobs and makes their attempts; answers how many attempts it made or handed back. */
  readonly deliver: (signal: AbortSignal) => Promise<number>;
  /**
   * The queue's own background work (pg-boss's maintenance: expiry of jobs an instance died with, archiving),
   * started before the first fan-out (again after a failed start) and stopped last.
   */
  readonly queue?: { readonly start: () => Promise<void>; readonly stop: () => Promise<void> };
};

/**
 * Runs webhook delivery in the background of a server: one fan-out loop and `workers` delivery loops, each going
 * again at once while there is work and waiting `idleMs` when there is none. The delivery loops take jobs from
 * the queue (pg-boss's fetch: FOR UPDATE SKIP LOCKED, so instances share them); several loops keep one slow
 * receiver (up to its 10-second timeout) from holding up the others. `stop` aborts the attempts in flight (they
 * are handed back, not counted as failures), waits for the loops to end, then stops the queue's maintenance.
 */
export class WebhookDispatcher {
  private controller = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(
    private readonly work: WebhookWork,
    private readonly options: { readonly workers: number; readonly idleMs: number },
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.loops.length > 0) {
      return;
    }
    this.controller = new AbortController();
    const signal = this.controller.signal;
    const queue = this.work.queue;
    this.loops = [
      this.loop(
        "fan out events",
        async () => {
          await queue?.start();
          return this.work.fanOut();
        },
        signal,
      ),
      ...Array.from({ length: this.options.workers }, () =>
        this.loop("deliver webhooks", () => this.work.deliver(signal), signal),
      ),
    ];
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await Promise.all(this.loops);
    this.loops = [];
    await this.work.queue?.stop();
  }

  private async loop(name: string, round: () => Promise<number>, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let busy = false;
      try {
        busy = (await round()) > 0;
      } catch (error) {
        this.logger.error({ err: error, step: name }, "webhook step failed");
      }
      if (!busy) {
        await pause(this.options.idleMs, signal);
      }
    }
  }
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(finish, ms);
    timer.unref();
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener("abort", finish);
      done();
    }
    signal.addEventListener("abort", finish, { once: true });
  });
}

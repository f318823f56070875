import type { Logger } from "pino";

/**
 * One job of the reconciler: its name (for logs) and one round of its work. `stopping` is aborted when the
 * loop stops: a step that claimed rows hands back those it has not worked on yet, and ends.
 */
export type ReconcilerStep = {
  readonly name: string;
  readonly run: (stopping: AbortSignal) => Promise<unknown>;
};

/**
 * Runs the reconciler's steps one after another, every `intervalMs`, in the background of a server. Rounds
 * never overlap; a failing step is logged and the next step still runs. `stop` tells the round in progress to
 * end (no further step starts; the running one hands back its claims) and waits for it.
 */
export class ReconcilerLoop {
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private stopped = false;
  private stopping = new AbortController();

  constructor(
    private readonly steps: readonly ReconcilerStep[],
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.stopping = new AbortController();
    this.schedule();
  }

  /** One round of every step, now. */
  async runOnce(): Promise<void> {
    const stopping = this.stopping.signal;
    for (const step of this.steps) {
      if (stopping.aborted) {
        return;
      }
      try {
        const result = await step.run(stopping);
        if (
          typeof result === "number" ? result > 0 : result !== undefined && JSON.stringify(result) !== "{}"
        ) {
          this.logger.debug({ step: step.name, result }, "reconciler step");
        }
      } catch (error) {
        this.logger.error({ err: error, step: step.name }, "reconciler step failed");
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.round;
  }

  private schedule(): void {
    if (this.stopped) {
      return;
    }
    this.timer = setTimeout(() => {
      this.round = this.runOnce().finally(() => {
        this.round = null;
        this.schedule();
      });
    }, this.intervalMs);
    this.timer.unref();
  }
}

import type { Logger } from "pino";

/** One job of the reconciler: its name (for logs) and one round of its work. */
export type ReconcilerStep = { readonly name: string; readonly run: () => Promise<unknown> };

/**
 * Runs the reconciler's steps one after another, every `intervalMs`, in the background of a server. Rounds
 * never overlap; a failing step is logged and the next step still runs. `stop` waits for the round in progress.
 */
export class ReconcilerLoop {
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly steps: readonly ReconcilerStep[],
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** One round of every step, now. */
  async runOnce(): Promise<void> {
    for (const step of this.steps) {
      try {
        const result = await step.run();
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

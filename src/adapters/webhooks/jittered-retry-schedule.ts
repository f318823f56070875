import type { RetrySchedule } from "../../application/ports/webhook-transport.ts";

/**
 * WEBHOOK_RETRY_SCHEDULE: the seconds to wait before each retry, each stretched or shrunk by up to `jitter` (a
 * fraction) at random, so that deliveries that failed together do not all come back together.
 */
export class JitteredRetrySchedule implements RetrySchedule {
  constructor(
    private readonly scheduleSeconds: readonly number[],
    private readonly jitter = 0.1,
    private readonly random: () => number = Math.random,
  ) {}

  delayMs(step: number): number | null {
    const seconds = this.scheduleSeconds[step];
    if (seconds === undefined) {
      return null;
    }
    const factor = 1 + (this.random() * 2 - 1) * this.jitter;
    return Math.max(0, Math.round(seconds * 1000 * factor));
  }
}

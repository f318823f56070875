import type { Logger } from "pino";

/**
 * Work started by a request that must not hold up its answer (confirming an untrusted callback with Daraja).
 * A task with the key of one already running is not started again, so a flood of copies costs one task.
 * Failures are logged, never thrown. `drain` waits for what is running, for a graceful shutdown.
 */
export class BackgroundTasks {
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly logger: Logger) {}

  /** Starts `work` unless a task with this key is already running; answers whether it started it. */
  run(key: string, work: () => Promise<unknown>): boolean {
    if (this.running.has(key)) {
      return false;
    }
    const task = (async () => {
      try {
        await work();
      } catch (error) {
        this.logger.error({ err: error, task: key.split(":")[0] }, "background task failed");
      } finally {
        this.running.delete(key);
      }
    })();
    this.running.set(key, task);
    return true;
  }

  get size(): number {
    return this.running.size;
  }

  async drain(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.all(this.running.values());
    }
  }
}

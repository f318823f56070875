import { Agent, request } from "undici";
import type { Clock } from "../../application/ports/clock.ts";
import type { CallbackDelivery, CallbackKind } from "./daraja-simulator.ts";
import { RecentRecords } from "./recent-records.ts";
import { redactCallbackUrl } from "./redact-callback-url.ts";
import { sleep } from "./sleep.ts";

/** How many callback deliveries the simulator keeps for inspection: the most recent ones. */
export const DELIVERIES_KEPT = 1_000;

const CALLBACK_TIMEOUT_MS = 10_000;

type Log = (event: string, fields: Readonly<Record<string, unknown>>) => void;

/**
 * The simulator's callbacks: the work it schedules for later (a checkout or payout settling, a status result),
 * the POSTs to the caller's URLs, once, duplicated or not at all, and the record of each delivery.
 * Like Daraja, it never retries a callback it could not deliver. The record keeps the last `keep` deliveries
 * (DELIVERIES_KEPT by default), so a simulator left running does not grow without limit; the delivered and
 * failed counts cover every delivery since the last clear.
 */
export class CallbackDeliveries {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly keyed = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly deliveries: RecentRecords<CallbackDelivery>;
  private delivered = 0;
  private readonly agent = new Agent({ connect: { timeout: CALLBACK_TIMEOUT_MS } });
  private readonly clock: Clock;
  private readonly log: Log;

  constructor(options: { readonly clock: Clock; readonly log: Log; readonly keep?: number }) {
    this.clock = options.clock;
    this.log = options.log;
    this.deliveries = new RecentRecords(options.keep ?? DELIVERIES_KEPT);
  }

  // ------------------------------------------------------------ scheduling

  /**
   * Runs `task` after `afterMs` of real time. With a `key`, `cancel(key)` can call it off until it starts.
   * A task that throws is logged, never left unhandled.
   */
  schedule(task: () => Promise<void>, afterMs: number, key?: string): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (key !== undefined && this.keyed.get(key) === timer) {
        this.keyed.delete(key);
      }
      this.track(task());
    }, afterMs);
    this.timers.add(timer);
    if (key !== undefined) {
      this.keyed.set(key, timer);
    }
  }

  /** Calls off the task scheduled under `key`, if it has not started. */
  cancel(key: string): void {
    const timer = this.keyed.get(key);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.timers.delete(timer);
      this.keyed.delete(key);
    }
  }

  /** Runs `task` now, counted as work in flight until it ends; rejects as it does. */
  async runNow(task: () => Promise<void>): Promise<void> {
    const running = task();
    this.track(running);
    await running;
  }

  /** Resolves once nothing is scheduled or in flight; checks again every `pollMs` while only timers wait. */
  async whenIdle(pollMs: number): Promise<void> {
    while (this.timers.size > 0 || this.inFlight.size > 0) {
      if (this.inFlight.size > 0) {
        await Promise.allSettled([...this.inFlight]);
      } else {
        await sleep(pollMs);
      }
    }
  }

  /** Calls off everything scheduled; work already running goes on. */
  cancelAll(): void {
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
    this.keyed.clear();
  }

  /** Calls off everything scheduled, waits for the work in flight, and closes the outgoing connections. */
  async close(): Promise<void> {
    this.cancelAll();
    await Promise.allSettled([...this.inFlight]);
    await this.agent.close();
  }

  // ------------------------------------------------------------ delivering

  /** POSTs `text` to `url` once, and records how it went. */
  async send(kind: CallbackKind, url: string, text: string): Promise<void> {
    const at = this.clock.now().toISOString();
    const body: unknown = JSON.parse(text);
    try {
      const response = await request(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: text,
        dispatcher: this.agent,
        headersTimeout: CALLBACK_TIMEOUT_MS,
        bodyTimeout: CALLBACK_TIMEOUT_MS,
      });
      await response.body.dump();
      this.record({ kind, url, body, status: response.statusCode, error: null, at });
      if (response.statusCode >= 300) {
        this.log("callback refused", { kind, url: redactCallbackUrl(url), status: response.statusCode });
      }
    } catch (error) {
      // Daraja does not retry a callback it could not deliver; neither does the simulator.
      const message = error instanceof Error ? error.message : String(error);
      this.record({ kind, url, body, status: null, error: message, at });
      this.log("callback not delivered", { kind, url: redactCallbackUrl(url), error: message });
    }
  }

  /** Sends it `times` times, one after the other: 0 drops it. */
  async sendTimes(kind: CallbackKind, url: string, text: string, times: number): Promise<void> {
    for (let sent = 0; sent < times; sent++) {
      await this.send(kind, url, text);
    }
  }

  /**
   * Sends it `times` times as duplicates arrive in the wild: the first two racing each other, then the rest
   * one by one, `gapMs` apart. 0 drops it.
   */
  async sendRacing(
    kind: CallbackKind,
    url: string,
    text: string,
    times: number,
    gapMs: number,
  ): Promise<void> {
    if (times === 1) {
      await this.send(kind, url, text);
    } else if (times > 1) {
      await Promise.all([this.send(kind, url, text), this.send(kind, url, text)]);
      for (let sent = 2; sent < times; sent++) {
        await sleep(gapMs);
        await this.send(kind, url, text);
      }
    }
  }

  // ------------------------------------------------------------ the record

  /** The most recent deliveries, oldest first (at most `keep`). */
  recent(): CallbackDelivery[] {
    return this.deliveries.list();
  }

  /** Deliveries since the last clear that the receiver accepted (a 2xx), and those it refused or never got. */
  counts(): { readonly delivered: number; readonly failed: number } {
    return { delivered: this.delivered, failed: this.deliveries.total - this.delivered };
  }

  /** Forgets the deliveries and their counts (what is scheduled stays: see cancelAll). */
  clear(): void {
    this.deliveries.clear();
    this.delivered = 0;
  }

  private record(delivery: CallbackDelivery): void {
    this.deliveries.add(delivery);
    if (delivery.status !== null && delivery.status < 300) {
      this.delivered += 1;
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) =>
      this.log("simulator task failed", { error: String(error) }),
    );
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }
}

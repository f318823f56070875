import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { BacklogEntry } from "../../application/operations/get-reconciler-backlog.ts";
import type {
  PaymentKind,
  PaymentMetrics,
  SettlementSource,
} from "../../application/ports/payment-metrics.ts";
import type { DarajaCallEvent, DarajaGatewayObserver } from "../daraja/daraja-gateway-observer.ts";
import type { SpoolUsage } from "../spool/file-spool.ts";
import type { QuarantineReason, SpoolObserver, SpoolRefusal } from "../spool/spool-observer.ts";

export type RequestEvent = {
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly durationSeconds: number;
  /** How the caller authenticated: `jwt`, `api_key`, or `none` (public routes, refused credentials). */
  readonly credential?: "jwt" | "api_key" | "none";
  /** The caller's role in the business the request was about (`api_key` for a key), or `none`. */
  readonly role?: string;
};

/**
 * PayMe's metrics in Prometheus text format, on a registry of its own (so that several app instances in one
 * process, as in tests, do not share counters):
 * - `payme_http_requests_total` and `payme_http_request_duration_seconds`, by method, route pattern and status
 *   (the count also by credential kind and role, never by user or key id);
 * - `payme_payments_initiated_total` and `payme_payments_settled_total`, by kind, status and what settled them;
 * - `payme_settlement_lag_seconds`: from a payment's creation to its settlement;
 * - `payme_daraja_call_duration_seconds` and `payme_daraja_call_failures_total`, by operation and failure type;
 * - `payme_pending_payments` and `payme_oldest_pending_payment_age_seconds`: the reconciler's backlog;
 * - the callback spool: `payme_callbacks_spooled_total`, `payme_spool_replayed_total`,
 *   `payme_spool_quarantined_total` (by reason), `payme_spool_refused_total` (callbacks answered 503 because the
 *   spool was full or unwritable), and `payme_spool_entries` / `payme_spool_bytes` (waiting, quarantined);
 * - webhooks: `payme_webhook_attempts_total`, by outcome (delivered, failed, handed_back at a shutdown);
 * - Node's default process metrics.
 */
export class PrometheusMetrics implements PaymentMetrics, DarajaGatewayObserver, SpoolObserver {
  readonly registry = new Registry();
  private readonly requests: Counter<"method" | "route" | "status" | "credential" | "role">;
  private readonly requestDuration: Histogram<"method" | "route" | "status">;
  private readonly initiatedTotal: Counter<"kind">;
  private readonly settledTotal: Counter<"kind" | "status" | "source">;
  private readonly settlementLag: Histogram<"kind" | "source">;
  private readonly darajaDuration: Histogram<"operation" | "outcome">;
  private readonly darajaFailures: Counter<"operation" | "type">;
  private readonly spooledTotal: Counter;
  private readonly settlementGroupSize: Histogram;
  private readonly settlementGroupRetries: Counter;
  private readonly spoolReplayedTotal: Counter;
  private readonly spoolQuarantinedTotal: Counter<"reason">;
  private readonly spoolRefusedTotal: Counter<"reason">;
  private readonly webhookAttempts: Counter<"outcome">;
  private spoolUsage: (() => Promise<SpoolUsage>) | null = null;

  constructor(backlog: () => Promise<BacklogEntry[]>, clock: { now(): Date } = { now: () => new Date() }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "payme_" });
    this.requests = new Counter({
      name: "payme_http_requests_total",
      help: "HTTP requests answered, by method, route pattern, status, credential kind and role (never by user or key).",
      labelNames: ["method", "route", "status", "credential", "role"],
      registers,
    });
    this.requestDuration = new Histogram({
      name: "payme_http_request_duration_seconds",
      help: "Time to answer HTTP requests, by method, route pattern and status.",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.initiatedTotal = new Counter({
      name: "payme_payments_initiated_total",
      help: "Payments recorded and sent to Daraja, by kind.",
      labelNames: ["kind"],
      registers,
    });
    this.settledTotal = new Counter({
      name: "payme_payments_settled_total",
      help: "Payments that reached a status, by kind, status and what settled them (callback, query, expiry, refused).",
      labelNames: ["kind", "status", "source"],
      registers,
    });
    this.settlementLag = new Histogram({
      name: "payme_settlement_lag_seconds",
      help: "Seconds from a payment's creation to its settlement, by kind and by what settled it.",
      labelNames: ["kind", "source"],
      buckets: [1, 5, 15, 30, 60, 120, 300, 900, 3600, 86_400],
      registers,
    });
    this.darajaDuration = new Histogram({
      name: "payme_daraja_call_duration_seconds",
      help: "Time of Daraja calls (token requests included), by operation and outcome.",
      labelNames: ["operation", "outcome"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.darajaFailures = new Counter({
      name: "payme_daraja_call_failures_total",
      help: "Daraja calls that failed, by operation and failure type.",
      labelNames: ["operation", "type"],
      registers,
    });
    this.spooledTotal = new Counter({
      name: "payme_callbacks_spooled_total",
      help: "Callbacks that could not be processed at once and were written to the spool.",
      registers,
    });
    this.settlementGroupSize = new Histogram({
      name: "payme_settlement_group_size",
      help: "Trusted callbacks settled per transaction by group commit (1: a callback that came alone).",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers,
    });
    this.settlementGroupRetries = new Counter({
      name: "payme_settlement_group_retries_total",
      help: "Settlement groups rolled back and settled again, by reason (work_failed: one settlement threw; write_failed: the group's writes or commit failed).",
      labelNames: ["reason"],
      registers,
    });
    this.spoolReplayedTotal = new Counter({
      name: "payme_spool_replayed_total",
      help: "Spooled callbacks applied by a replay.",
      registers,
    });
    this.spoolQuarantinedTotal = new Counter({
      name: "payme_spool_quarantined_total",
      help: "Spooled callbacks moved to the quarantine folder, by reason (failing, refused, unreadable).",
      labelNames: ["reason"],
      registers,
    });
    this.spoolRefusedTotal = new Counter({
      name: "payme_spool_refused_total",
      help: "Callbacks answered 503 because they could neither be processed nor spooled, by reason (full, unwritable).",
      labelNames: ["reason"],
      registers,
    });
    this.webhookAttempts = new Counter({
      name: "payme_webhook_attempts_total",
      help: "Webhook delivery attempts, by outcome (delivered, failed, handed_back: cut short by a shutdown).",
      labelNames: ["outcome"],
      registers,
    });
    for (const outcome of ["delivered", "failed", "handed_back"]) {
      this.webhookAttempts.inc({ outcome }, 0);
    }
    // Every reason shows from the start (at 0), so that an alert on any increase needs no special case.
    for (const reason of ["failing", "refused", "unreadable"] satisfies QuarantineReason[]) {
      this.spoolQuarantinedTotal.inc({ reason }, 0);
    }
    for (const reason of ["full", "unwritable"] satisfies SpoolRefusal[]) {
      this.spoolRefusedTotal.inc({ reason }, 0);
    }
    // A spool that cannot be read (its disk failing) leaves its gauges out, rather than failing the whole scrape.
    const spoolUsage = () => this.spoolUsage?.().catch(() => null) ?? Promise.resolve(null);
    new Gauge({
      name: "payme_spool_entries",
      help: "Callbacks in the spool, by state (waiting, quarantined).",
      labelNames: ["state"],
      registers,
      async collect() {
        const usage = await spoolUsage();
        if (usage !== null) {
          this.set({ state: "waiting" }, usage.waiting.entries);
          this.set({ state: "quarantined" }, usage.quarantined.entries);
        }
      },
    });
    new Gauge({
      name: "payme_spool_bytes",
      help: "Bytes of the spool on disk, by state (waiting, quarantined); SPOOL_MAX_MB bounds their sum.",
      labelNames: ["state"],
      registers,
      async collect() {
        const usage = await spoolUsage();
        if (usage !== null) {
          this.set({ state: "waiting" }, usage.waiting.bytes);
          this.set({ state: "quarantined" }, usage.quarantined.bytes);
        }
      },
    });
    let latest: Promise<BacklogEntry[]> | null = null;
    // Both backlog gauges are filled from one query per scrape.
    const backlogOnce = () => {
      latest ??= backlog().finally(() => {
        latest = null;
      });
      return latest;
    };
    new Gauge({
      name: "payme_pending_payments",
      help: "Payments still pending (the reconciler's backlog), by kind.",
      labelNames: ["kind"],
      registers,
      async collect() {
        for (const entry of await backlogOnce()) {
          this.set({ kind: entry.kind }, entry.pending);
        }
      },
    });
    new Gauge({
      name: "payme_oldest_pending_payment_age_seconds",
      help: "Age of the oldest payment still pending, by kind (0 when none is).",
      labelNames: ["kind"],
      registers,
      async collect() {
        const now = clock.now().getTime();
        for (const entry of await backlogOnce()) {
          const age = entry.oldestCreatedAt === null ? 0 : (now - entry.oldestCreatedAt.getTime()) / 1000;
          this.set({ kind: entry.kind }, Math.max(0, age));
        }
      },
    });
  }

  /** For the HTTP adapter: one answered request. */
  observeRequest(event: RequestEvent): void {
    const labels = { method: event.method, route: event.route, status: String(event.status) };
    this.requests.inc({ ...labels, credential: event.credential ?? "none", role: event.role ?? "none" });
    this.requestDuration.observe(labels, event.durationSeconds);
  }

  initiated(kind: PaymentKind): void {
    this.initiatedTotal.inc({ kind });
  }

  settled(event: { kind: PaymentKind; status: string; source: SettlementSource; ageSeconds: number }): void {
    this.settledTotal.inc({ kind: event.kind, status: event.status, source: event.source });
    this.settlementLag.observe({ kind: event.kind, source: event.source }, Math.max(0, event.ageSeconds));
  }

  onCall(event: DarajaCallEvent): void {
    this.darajaDuration.observe(
      { operation: event.operation, outcome: event.outcome },
      event.durationMs / 1000,
    );
    if (event.outcome !== "ok") {
      this.darajaFailures.inc({ operation: event.operation, type: event.outcome });
    }
  }

  /** Where the spool gauges read the spool's size from. */
  watchSpool(usage: () => Promise<SpoolUsage>): void {
    this.spoolUsage = usage;
  }

  spooled(): void {
    this.spooledTotal.inc();
  }

  settlementGroup(size: number): void {
    this.settlementGroupSize.observe(size);
  }

  settlementGroupRetried(reason: "work_failed" | "write_failed"): void {
    this.settlementGroupRetries.inc({ reason });
  }

  refused(reason: SpoolRefusal): void {
    this.spoolRefusedTotal.inc({ reason });
  }

  replayed(): void {
    this.spoolReplayedTotal.inc();
  }

  quarantined(reason: QuarantineReason): void {
    this.spoolQuarantinedTotal.inc({ reason });
  }

  /** One round of webhook deliveries. */
  webhookRound(round: { delivered: number; failed: number; handedBack: number }): void {
    this.webhookAttempts.inc({ outcome: "delivered" }, round.delivered);
    this.webhookAttempts.inc({ outcome: "failed" }, round.failed);
    this.webhookAttempts.inc({ outcome: "handed_back" }, round.handedBack);
  }

  /** The whole registry in Prometheus text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

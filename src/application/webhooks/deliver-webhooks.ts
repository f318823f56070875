import { SECRET_FIELDS, secretBinding } from "../../domain/sealed-secret.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { WebhookDelivery } from "../ports/webhook-delivery-repository.ts";
import type { WebhookJob } from "../ports/webhook-job-queue.ts";
import type { RetrySchedule, WebhookOutcome, WebhookTransport } from "../ports/webhook-transport.ts";
import { eventView } from "./event-view.ts";
import { withJobs } from "./new-delivery.ts";

export type DeliveryRound = {
  readonly delivered: number;
  readonly failed: number;
  readonly handedBack: number;
  /** Jobs taken that made no attempt: stale (their delivery was settled, restarted or purged) or early. */
  readonly skipped: number;
};

type JobOutcome = WebhookOutcome["type"] | "skipped";

/**
 * One round of the webhook queue: takes due jobs (shared by every instance through the queue), makes each job's
 * attempt signed, and records it. The delivery row is the truth: a job that is not the delivery's current one, or
 * whose delivery is no longer pending, is completed without an attempt; one that comes before the row's
 * `nextAttemptAt` (by this clock) is put back for then. After an attempt, the same transaction records it,
 * sends the next job (due after the retry schedule's delay) and completes this one. A failure is final once the
 * schedule is spent; an endpoint that has failed every attempt for `disableAfterHours` is disabled. An attempt
 * cut short by `signal` (a shutdown) is handed back: a new job, due at once, and no attempt counted.
 */
export class DeliverWebhooks {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"outbox" | "webhookEndpoints" | "webhookDeliveries" | "webhookJobs">;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly secretBox: SecretBox;
      readonly webhookTransport: WebhookTransport;
      readonly retrySchedule: RetrySchedule;
      readonly disableAfterHours: number;
    },
  ) {}

  async execute(input: { readonly limit: number; readonly signal: AbortSignal }): Promise<DeliveryRound> {
    if (input.signal.aborted) {
      return { delivered: 0, failed: 0, handedBack: 0, skipped: 0 };
    }
    const jobs = await this.deps.uow.run((r) => r.webhookJobs.fetch(input.limit));
    const outcomes = await Promise.all(jobs.map((job) => this.attempt(job, input.signal)));
    const count = (type: JobOutcome) => outcomes.filter((o) => o === type).length;
    return {
      delivered: count("delivered"),
      failed: count("failed"),
      handedBack: count("aborted"),
      skipped: count("skipped"),
    };
  }

  private async attempt(job: WebhookJob, signal: AbortSignal): Promise<JobOutcome> {
    try {
      return await this.tryAttempt(job, signal);
    } catch (error) {
      // Broken infrastructure (the database, a secret that no longer opens): hand the job back and let it rise.
      // Should that fail too, the job stays taken and comes back when it expires.
      await this.handBack(job).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Replaces the job with a new one due at the delivery's `nextAttemptAt` (at once when it is due), unless the
   * delivery has moved on to another job meanwhile. Nothing else about the delivery changes.
   */
  private handBack(job: WebhookJob): Promise<void> {
    return this.deps.uow.run(async (r) => {
      const delivery = await r.webhookDeliveries.findForUpdate(job.deliveryId);
      if (delivery !== null && delivery.jobId === job.id && delivery.status === "pending") {
        const [next] = await withJobs(r, [delivery]);
        if (next !== undefined) {
          await r.webhookDeliveries.update(next);
        }
      }
      await r.webhookJobs.complete([job.id]);
    });
  }

  private async tryAttempt(job: WebhookJob, signal: AbortSignal): Promise<JobOutcome> {
    const delivery = await this.deps.uow.read((r) => r.webhookDeliveries.findById(job.deliveryId));
    if (delivery === null || delivery.jobId !== job.id || delivery.status !== "pending") {
      // Purged or deleted with its endpoint, settled, or restarted with another job: nothing to do.
      await this.deps.uow.run((r) => r.webhookJobs.complete([job.id]));
      return "skipped";
    }
    if (delivery.nextAttemptAt.getTime() > this.deps.clock.now().getTime()) {
      // Early by this instance's clock (the queue's clock runs ahead of it): back to sleep until the row's time.
      await this.handBack(job);
      return "skipped";
    }
    const { event, endpoint } = await this.deps.uow.read(async (r) => ({
      event: await r.outbox.findById(delivery.eventId),
      endpoint: await r.webhookEndpoints.findById(delivery.endpointId),
    }));
    if (event === null || endpoint === null) {
      // Purged or deleted since the job was taken: its delivery went with it.
      await this.deps.uow.run((r) => r.webhookJobs.complete([job.id]));
      return "skipped";
    }
    const started = this.deps.clock.now();
    let outcome: WebhookOutcome;
    if (!endpoint.enabled) {
      outcome = {
        type: "failed",
        responseStatus: null,
        durationMs: 0,
        error: "the endpoint is disabled: nothing was sent",
      };
    } else {
      const binding = secretBinding(endpoint.businessId, SECRET_FIELDS.webhookSecret);
      const secrets = await Promise.all(
        endpoint.signingSecrets(started).map((sealed) => this.deps.secretBox.open(sealed, binding)),
      );
      outcome = await this.deps.webhookTransport.send(
        {
          url: endpoint.url,
          eventId: event.id,
          timestamp: Math.floor(started.getTime() / 1000),
          body: JSON.stringify(eventView(event)),
          secrets,
        },
        signal,
      );
    }
    if (outcome.type === "aborted") {
      await this.handBack(job);
      return "aborted";
    }
    const finished = outcome;
    const at = this.deps.clock.now();
    await this.deps.uow.run(async (r) => {
      // The endpoint's row lock serialises the outcomes of its deliveries; the delivery is read again under its
      // own lock, since a redelivery may have started it over (with another job) while this attempt was on its way.
      const current = await r.webhookEndpoints.findById(delivery.endpointId, { lock: true });
      const stored = await r.webhookDeliveries.findForUpdate(delivery.id);
      await r.webhookJobs.complete([job.id]);
      if (current === null || stored === null) {
        // The endpoint was deleted, or the event purged, while the attempt was on its way: nothing to record.
        return;
      }
      const attempt = stored.attempts + 1;
      await r.webhookDeliveries.recordAttempt({
        id: this.deps.ids.next(),
        deliveryId: delivery.id,
        eventId: delivery.eventId,
        endpointId: delivery.endpointId,
        attempt,
        status: finished.type,
        responseStatus: finished.responseStatus,
        durationMs: Math.round(finished.durationMs),
        error: finished.type === "failed" ? finished.error.slice(0, 500) : null,
        at,
      });
      const delivered = finished.type === "delivered" || stored.status === "delivered";
      if (stored.jobId !== job.id) {
        // Restarted meanwhile: its new job owns the schedule; this attempt only counts (and may have delivered it).
        await r.webhookDeliveries.update({
          ...stored,
          attempts: attempt,
          status: delivered ? "delivered" : stored.status,
        });
      } else {
        const delay =
          !delivered && endpoint.enabled ? this.deps.retrySchedule.delayMs(stored.scheduleStep) : null;
        const settled = {
          ...stored,
          attempts: attempt,
          status: delivered ? "delivered" : delay === null ? "failed" : "pending",
          jobId: null,
        } satisfies WebhookDelivery;
        // The next attempt is the next job, due after the schedule's delay (PayMe's schedule, not the queue's).
        const [next] =
          delay === null
            ? [settled]
            : await withJobs(r, [
                {
                  ...settled,
                  scheduleStep: stored.scheduleStep + 1,
                  nextAttemptAt: new Date(at.getTime() + delay),
                },
              ]);
        await r.webhookDeliveries.update(next ?? settled);
      }
      if (current.enabled) {
        const changed =
          finished.type === "delivered"
            ? current.succeeded()
            : current.failed(at, this.deps.disableAfterHours);
        if (changed !== current) {
          await r.webhookEndpoints.update(changed);
        }
      }
    });
    return finished.type;
  }
}

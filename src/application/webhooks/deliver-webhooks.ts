import { SECRET_FIELDS, secretBinding } from "../../domain/sealed-secret.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { WebhookDelivery } from "../ports/webhook-delivery-repository.ts";
import type { RetrySchedule, WebhookOutcome, WebhookTransport } from "../ports/webhook-transport.ts";
import { eventView } from "./event-view.ts";

/**
 * How long a claim holds a delivery: longer than an attempt can take (its 10-second timeout), so a live instance
 * never loses its claim, and short enough that a crashed instance's claims come back soon.
 */
export const DELIVERY_LEASE_MS = 30_000;

export type DeliveryRound = {
  readonly delivered: number;
  readonly failed: number;
  readonly handedBack: number;
};

/**
 * One round of the webhook queue: claims due deliveries (shared by every instance, SKIP LOCKED and leased), sends
 * each signed, and records every attempt. A failure is retried on the schedule, and is final once the schedule is
 * spent; an endpoint that has failed every attempt for `disableAfterHours` is disabled. An attempt cut short by
 * `signal` (a shutdown) is handed back, not counted.
 */
export class DeliverWebhooks {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"outbox" | "webhookEndpoints" | "webhookDeliveries">;
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
      return { delivered: 0, failed: 0, handedBack: 0 };
    }
    const now = this.deps.clock.now();
    const claimed = await this.deps.uow.run((r) =>
      r.webhookDeliveries.claimDue(now, new Date(now.getTime() + DELIVERY_LEASE_MS), input.limit),
    );
    const outcomes = await Promise.all(claimed.map((delivery) => this.attempt(delivery, input.signal)));
    return {
      delivered: outcomes.filter((o) => o === "delivered").length,
      failed: outcomes.filter((o) => o === "failed").length,
      handedBack: outcomes.filter((o) => o === "aborted").length,
    };
  }

  private async attempt(delivery: WebhookDelivery, signal: AbortSignal): Promise<WebhookOutcome["type"]> {
    try {
      return await this.tryAttempt(delivery, signal);
    } catch (error) {
      // Broken infrastructure (the database, a secret that no longer opens): hand the claim back and let it rise.
      await this.deps.uow.run((r) => r.webhookDeliveries.release(delivery.id)).catch(() => undefined);
      throw error;
    }
  }

  private async tryAttempt(delivery: WebhookDelivery, signal: AbortSignal): Promise<WebhookOutcome["type"]> {
    const { event, endpoint } = await this.deps.uow.read(async (r) => ({
      event: await r.outbox.findById(delivery.eventId),
      endpoint: await r.webhookEndpoints.findById(delivery.endpointId),
    }));
    if (event === null || endpoint === null) {
      // Purged or deleted since it was claimed: its delivery went with it.
      return "failed";
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
      await this.deps.uow.run((r) => r.webhookDeliveries.release(delivery.id));
      return "aborted";
    }
    const finished = outcome;
    const at = this.deps.clock.now();
    await this.deps.uow.run(async (r) => {
      // The endpoint's row lock serialises the outcomes of its deliveries; the delivery is read again under it,
      // since a redelivery may have started it over while this attempt was on its way.
      const current = await r.webhookEndpoints.findById(delivery.endpointId, { lock: true });
      const stored = await r.webhookDeliveries.findById(delivery.id);
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
      const delay =
        !delivered && endpoint.enabled ? this.deps.retrySchedule.delayMs(stored.scheduleStep) : null;
      await r.webhookDeliveries.update({
        ...stored,
        attempts: attempt,
        status: delivered ? "delivered" : delay === null ? "failed" : "pending",
        scheduleStep: delay === null ? stored.scheduleStep : stored.scheduleStep + 1,
        nextAttemptAt: delay === null ? stored.nextAttemptAt : new Date(at.getTime() + delay),
      });
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

import type { OutboxEvent } from "../../application/ports/outbox-repository.ts";
import type {
  DeliveryAttempt,
  WebhookDelivery,
} from "../../application/ports/webhook-delivery-repository.ts";
import { eventView } from "../../application/webhooks/event-view.ts";
import type { WebhookEndpoint } from "../../domain/webhook-endpoint.ts";

/** An endpoint as the API shows it (never its secret); `lastDelivery` is its health, when known. */
export const presentEndpoint = (endpoint: WebhookEndpoint, lastAttempt?: DeliveryAttempt | null) => ({
  id: endpoint.id,
  businessId: endpoint.businessId,
  url: endpoint.url,
  events: [...endpoint.events],
  description: endpoint.description,
  enabled: endpoint.enabled,
  disabledReason: endpoint.disabledReason,
  createdAt: endpoint.createdAt.toISOString(),
  ...(lastAttempt === undefined
    ? {}
    : { lastDelivery: lastAttempt === null ? null : presentAttempt(lastAttempt) }),
});

export const presentEvent = (event: OutboxEvent) => eventView(event);

export const presentAttempt = (attempt: DeliveryAttempt) => ({
  endpointId: attempt.endpointId,
  attempt: attempt.attempt,
  status: attempt.status,
  ...(attempt.responseStatus === null ? {} : { responseStatus: attempt.responseStatus }),
  ...(attempt.durationMs === null ? {} : { durationMs: attempt.durationMs }),
  ...(attempt.error === null ? {} : { error: attempt.error }),
  at: attempt.at.toISOString(),
});

/**
 * An event's deliveries as the API lists them: every attempt, oldest first, then a `pending` entry for each
 * delivery still waiting for its next attempt (with `nextAttemptAt`).
 */
export const presentDeliveries = (
  deliveries: readonly WebhookDelivery[],
  attempts: readonly DeliveryAttempt[],
) => [
  ...attempts.map(presentAttempt),
  ...deliveries
    .filter((delivery) => delivery.status === "pending")
    .map((delivery) => ({
      endpointId: delivery.endpointId,
      attempt: delivery.attempts + 1,
      status: "pending" as const,
      at: delivery.nextAttemptAt.toISOString(),
      nextAttemptAt: delivery.nextAttemptAt.toISOString(),
    })),
];

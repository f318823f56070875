import type { IdGenerator } from "../ports/id-generator.ts";
import type { WebhookDelivery } from "../ports/webhook-delivery-repository.ts";

/** A delivery of `event` to `endpoint`, due at once. */
export const newDelivery = (
  ids: IdGenerator,
  event: { readonly id: string; readonly businessId: string },
  endpointId: string,
  now: Date,
): WebhookDelivery => ({
  id: ids.next(),
  eventId: event.id,
  endpointId,
  businessId: event.businessId,
  status: "pending",
  attempts: 0,
  scheduleStep: 0,
  nextAttemptAt: now,
  createdAt: now,
});

/** The same delivery started over: due at once, at the start of the retry schedule. */
export const restartedDelivery = (delivery: WebhookDelivery, now: Date): WebhookDelivery => ({
  ...delivery,
  status: "pending",
  scheduleStep: 0,
  nextAttemptAt: now,
});

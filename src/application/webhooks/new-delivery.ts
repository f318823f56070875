import type { IdGenerator } from "../ports/id-generator.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import type { WebhookDelivery } from "../ports/webhook-delivery-repository.ts";

/** A delivery of `event` to `endpoint`, due at once; it gets its job from `withJobs`. */
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
  jobId: null,
  createdAt: now,
});

/** The same delivery started over: due at once, at the start of the retry schedule (it needs a new job). */
export const restartedDelivery = (delivery: WebhookDelivery, now: Date): WebhookDelivery => ({
  ...delivery,
  status: "pending",
  scheduleStep: 0,
  nextAttemptAt: now,
});

/**
 * Sends each delivery's job to the queue, due at its `nextAttemptAt`, in the caller's transaction, and answers
 * the deliveries naming their jobs: write them in the same transaction, so that rows and jobs commit together.
 */
export async function withJobs(
  r: Pick<Repositories, "webhookJobs">,
  deliveries: readonly WebhookDelivery[],
): Promise<WebhookDelivery[]> {
  if (deliveries.length === 0) {
    return [];
  }
  const jobIds = await r.webhookJobs.sendAll(
    deliveries.map((d) => ({ deliveryId: d.id, startAfter: d.nextAttemptAt })),
  );
  return deliveries.map((delivery, i) => {
    const jobId = jobIds[i];
    if (jobId === undefined) {
      throw new Error("the webhook queue answered fewer job ids than jobs sent");
    }
    return { ...delivery, jobId };
  });
}

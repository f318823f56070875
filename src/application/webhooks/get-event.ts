import { err, ok, type Result } from "../../domain/result.ts";
import type { OutboxEvent } from "../ports/outbox-repository.ts";
import type { Repositories, UnitOfWork } from "../ports/unit-of-work.ts";
import type { DeliveryAttempt, WebhookDelivery } from "../ports/webhook-delivery-repository.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";

export type EventStory = {
  readonly event: OutboxEvent;
  readonly deliveries: readonly WebhookDelivery[];
  readonly attempts: readonly DeliveryAttempt[];
};

/** One event of a business the user owns, with its deliveries and every attempt. */
export class GetEvent {
  constructor(
    private readonly deps: { readonly uow: UnitOfWork<"businesses" | "outbox" | "webhookDeliveries"> },
  ) {}

  execute(input: {
    readonly userId: string;
    readonly eventId: string;
  }): Promise<Result<EventStory, NotFound>> {
    return this.deps.uow.read(async (r) => {
      const event = await ownedEvent(r, input.userId, input.eventId);
      if (event === null) {
        return err(notFound("event"));
      }
      return ok({
        event,
        deliveries: await r.webhookDeliveries.listForEvent(event.id),
        attempts: await r.webhookDeliveries.attemptsForEvent(event.id),
      });
    });
  }
}

/** The event if its business belongs to `userId`, else null. */
export async function ownedEvent(
  r: Pick<Repositories, "businesses" | "outbox">,
  userId: string,
  eventId: string,
): Promise<OutboxEvent | null> {
  const event = await r.outbox.findById(eventId);
  if (event === null) {
    return null;
  }
  return (await r.businesses.findOwned(event.businessId, userId)) === null ? null : event;
}

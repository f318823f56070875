import { err, ok, type Result } from "../../domain/result.ts";
import type { OutboxEvent } from "../ports/outbox-repository.ts";
import type { Repositories, UnitOfWork } from "../ports/unit-of-work.ts";
import type { DeliveryAttempt, WebhookDelivery } from "../ports/webhook-delivery-repository.ts";
import { authorizeResource } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

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
    readonly access: Access;
    readonly eventId: string;
  }): Promise<Result<EventStory, NotFound | Forbidden>> {
    return this.deps.uow.read(async (r) => {
      const found = await ownedEvent(r, input.access, input.eventId);
      if (!found.ok) {
        return found;
      }
      const event = found.value;
      return ok({
        event,
        deliveries: await r.webhookDeliveries.listForEvent(event.id),
        attempts: await r.webhookDeliveries.attemptsForEvent(event.id),
      });
    });
  }
}

/** The event if the caller may do the request's action in its business; else not_found or forbidden. */
export async function ownedEvent(
  r: Pick<Repositories, "outbox">,
  access: Access,
  eventId: string,
): Promise<Result<OutboxEvent, NotFound | Forbidden>> {
  const event = await r.outbox.findById(eventId);
  if (event === null) {
    return err(notFound("event"));
  }
  const allowed = authorizeResource(access, event.businessId, "event");
  return allowed.ok ? ok(event) : allowed;
}

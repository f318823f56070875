import type { WebhookEndpoint } from "../../domain/webhook-endpoint.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { WebhookDelivery } from "../ports/webhook-delivery-repository.ts";
import { newDelivery, withJobs } from "./new-delivery.ts";

/**
 * Hands new outbox events to the webhook queue: one delivery per enabled endpoint of the event's business that
 * subscribes to its type (any type alike, so a new event type needs no code here), each with its job. One
 * transaction: the deliveries, their jobs and the event's mark commit together, so an event is fanned out exactly
 * once and no delivery is without its job.
 */
export class FanOutEvents {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"outbox" | "webhookEndpoints" | "webhookDeliveries" | "webhookJobs">;
      readonly ids: IdGenerator;
      readonly clock: Clock;
    },
  ) {}

  /** Answers how many events it handed on. */
  execute(input: { readonly limit: number }): Promise<number> {
    return this.deps.uow.run(async (r) => {
      const events = await r.outbox.claimUndispatched(input.limit);
      if (events.length === 0) {
        return 0;
      }
      const now = this.deps.clock.now();
      const endpointsOf = new Map<string, WebhookEndpoint[]>();
      const deliveries: WebhookDelivery[] = [];
      for (const event of events) {
        let endpoints = endpointsOf.get(event.businessId);
        if (endpoints === undefined) {
          endpoints = await r.webhookEndpoints.listByBusiness(event.businessId);
          endpointsOf.set(event.businessId, endpoints);
        }
        for (const endpoint of endpoints) {
          if (endpoint.wants(event.type)) {
            deliveries.push(newDelivery(this.deps.ids, event, endpoint.id, now));
          }
        }
      }
      await r.webhookDeliveries.addAll(await withJobs(r, deliveries));
      await r.outbox.markDispatched(
        events.map((e) => e.id),
        now,
      );
      return events.length;
    });
  }
}

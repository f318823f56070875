import { type InvalidInput, invalid } from "../../domain/invalid-value.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";
import { ownedEvent } from "./get-event.ts";
import { newDelivery, restartedDelivery, withJobs } from "./new-delivery.ts";

/**
 * Sends an event again, on a fresh retry schedule: to one endpoint, or to every enabled endpoint that had it or
 * that subscribes to its type now.
 */
export class RedeliverEvent {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<
        "businesses" | "outbox" | "webhookEndpoints" | "webhookDeliveries" | "webhookJobs"
      >;
      readonly ids: IdGenerator;
      readonly clock: Clock;
    },
  ) {}

  execute(input: {
    readonly access: Access;
    readonly eventId: string;
    readonly endpointId?: string;
  }): Promise<Result<{ readonly endpointIds: readonly string[] }, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.run(async (r) => {
      const found = await ownedEvent(r, input.access, input.eventId);
      if (!found.ok) {
        return found;
      }
      const event = found.value;
      const endpoints = await r.webhookEndpoints.listByBusiness(event.businessId);
      const had = new Set((await r.webhookDeliveries.listForEvent(event.id)).map((d) => d.endpointId));
      let targets = endpoints.filter((e) => e.enabled && (had.has(e.id) || e.wants(event.type)));
      if (input.endpointId !== undefined) {
        const chosen = endpoints.find((e) => e.id === input.endpointId);
        if (chosen === undefined) {
          return err(notFound("webhook endpoint"));
        }
        if (!chosen.enabled) {
          return err(invalid("endpointId", "is disabled: enable it first"));
        }
        targets = [chosen];
      }
      const now = this.deps.clock.now();
      // A restarted delivery gets a new job; the job it had becomes stale and is dropped when it comes due.
      for (const endpoint of targets) {
        const known = await r.webhookDeliveries.findByEventAndEndpoint(event.id, endpoint.id);
        if (known === null) {
          await r.webhookDeliveries.addAll(
            await withJobs(r, [newDelivery(this.deps.ids, event, endpoint.id, now)]),
          );
        } else {
          const locked = (await r.webhookDeliveries.findForUpdate(known.id)) ?? known;
          const [restarted] = await withJobs(r, [restartedDelivery(locked, now)]);
          if (restarted !== undefined) {
            await r.webhookDeliveries.update(restarted);
          }
        }
      }
      return ok({ endpointIds: targets.map((e) => e.id) });
    });
  }
}

import type { InvalidInput } from "../../domain/invalid-value.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { OutboxEvent } from "../ports/outbox-repository.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";
import { newDelivery, withJobs } from "./new-delivery.ts";
import { ownedEndpoint } from "./owned-endpoint.ts";

/** The endpoint is disabled: a ping would only wait for a delivery that never runs. Enable it first. */
export type EndpointDisabled = { readonly type: "endpoint_disabled"; readonly endpointId: string };

/**
 * A `ping` event to one endpoint (the dashboard's "send test"): recorded like any event, but handed straight to
 * that endpoint instead of to the fan-out.
 */
export class SendTestWebhook {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<
        "businesses" | "webhookEndpoints" | "webhookDeliveries" | "webhookJobs" | "outbox"
      >;
      readonly ids: IdGenerator;
      readonly clock: Clock;
    },
  ) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly endpointId: string;
  }): Promise<Result<OutboxEvent, NotFound | Forbidden | InvalidInput | EndpointDisabled>> {
    return this.deps.uow.run(async (r) => {
      const found = await ownedEndpoint(r, input.access, input.businessId, input.endpointId);
      if (!found.ok) {
        return found;
      }
      if (!found.value.enabled) {
        return err({ type: "endpoint_disabled", endpointId: found.value.id });
      }
      const now = this.deps.clock.now();
      const event: OutboxEvent = {
        id: this.deps.ids.next(),
        type: "ping",
        createdAt: now,
        businessId: found.value.businessId,
        data: { object: { endpointId: found.value.id, message: "A test event from PayMe." } },
      };
      await r.outbox.append(event);
      await r.outbox.markDispatched([event.id], now);
      await r.webhookDeliveries.addAll(
        await withJobs(r, [newDelivery(this.deps.ids, event, found.value.id, now)]),
      );
      return ok(event);
    });
  }
}

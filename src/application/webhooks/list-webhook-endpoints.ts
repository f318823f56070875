import type { InvalidInput } from "../../domain/invalid-value.ts";
import { ok, type Result } from "../../domain/result.ts";
import type { WebhookEndpoint } from "../../domain/webhook-endpoint.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { DeliveryAttempt } from "../ports/webhook-delivery-repository.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

export type EndpointWithHealth = {
  readonly endpoint: WebhookEndpoint;
  /** The endpoint's latest attempt: its health. */
  readonly lastAttempt: DeliveryAttempt | null;
};

/** A business's endpoints, oldest first, each with its latest delivery attempt. */
export class ListWebhookEndpoints {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"businesses" | "webhookEndpoints" | "webhookDeliveries">;
    },
  ) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
  }): Promise<Result<EndpointWithHealth[], NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.read(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      const endpoints = await r.webhookEndpoints.listByBusiness(business.value.id);
      const last = await r.webhookDeliveries.lastAttempts(endpoints.map((e) => e.id));
      return ok(endpoints.map((endpoint) => ({ endpoint, lastAttempt: last.get(endpoint.id) ?? null })));
    });
  }
}

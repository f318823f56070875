import { type InvalidInput, invalid } from "../../domain/invalid-value.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { EventSelection, WebhookEndpoint } from "../../domain/webhook-endpoint.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { WebhookTransport } from "../ports/webhook-transport.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";
import { ownedEndpoint } from "./owned-endpoint.ts";

/** Changes an endpoint's URL, events or description, or enables or disables it. */
export class UpdateWebhookEndpoint {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"businesses" | "webhookEndpoints">;
      readonly webhookTransport: WebhookTransport;
    },
  ) {}

  async execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly endpointId: string;
    readonly url?: string;
    readonly events?: EventSelection;
    readonly description?: string | null;
    readonly enabled?: boolean;
  }): Promise<Result<WebhookEndpoint, NotFound | Forbidden | InvalidInput>> {
    const refusal = input.url === undefined ? null : this.deps.webhookTransport.refusal(input.url);
    if (refusal !== null) {
      return err(invalid("url", refusal));
    }
    return this.deps.uow.run(async (r) => {
      const found = await ownedEndpoint(r, input.access, input.businessId, input.endpointId, { lock: true });
      if (!found.ok) {
        return found;
      }
      const changed = found.value.change(input);
      await r.webhookEndpoints.update(changed);
      return ok(changed);
    });
  }
}

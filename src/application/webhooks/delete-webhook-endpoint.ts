import type { InvalidInput } from "../../domain/invalid-value.ts";
import { ok, type Result } from "../../domain/result.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";
import { ownedEndpoint } from "./owned-endpoint.ts";

/** Deletes an endpoint and its deliveries: nothing more is sent to it. */
export class DeleteWebhookEndpoint {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "webhookEndpoints"> }) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly endpointId: string;
  }): Promise<Result<void, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.run(async (r) => {
      const found = await ownedEndpoint(r, input.access, input.businessId, input.endpointId, { lock: true });
      if (!found.ok) {
        return found;
      }
      await r.webhookEndpoints.remove(found.value.id);
      return ok();
    });
  }
}

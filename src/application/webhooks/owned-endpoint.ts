import type { InvalidInput } from "../../domain/invalid-value.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { WebhookEndpoint } from "../../domain/webhook-endpoint.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/**
 * The endpoint `endpointId` of business `businessId`, when the caller may do the request's action there
 * (`accessibleBusiness`); another business's endpoint, or a business that is not theirs, is `not_found`.
 */
export async function ownedEndpoint(
  r: Pick<Repositories, "businesses" | "webhookEndpoints">,
  access: Access,
  businessId: string,
  endpointId: string,
  options: { readonly lock?: boolean } = {},
): Promise<Result<WebhookEndpoint, NotFound | Forbidden | InvalidInput>> {
  const business = await accessibleBusiness(r, access, businessId);
  if (!business.ok) {
    return business;
  }
  const endpoint = await r.webhookEndpoints.findById(endpointId, options);
  return endpoint === null || endpoint.businessId !== business.value.id
    ? err(notFound("webhook endpoint"))
    : ok(endpoint);
}

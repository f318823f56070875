import type { InvalidInput } from "../../domain/invalid-value.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { WebhookEndpoint } from "../../domain/webhook-endpoint.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import { ownedBusiness } from "../shared/owned-business.ts";

/**
 * The endpoint `endpointId` of business `businessId`, when the user owns that business; anything else (another
 * business's endpoint, or a business that is not theirs) is `not_found`.
 */
export async function ownedEndpoint(
  r: Pick<Repositories, "businesses" | "webhookEndpoints">,
  userId: string,
  businessId: string,
  endpointId: string,
  options: { readonly lock?: boolean } = {},
): Promise<Result<WebhookEndpoint, NotFound | InvalidInput>> {
  const business = await ownedBusiness(r, userId, businessId);
  if (!business.ok) {
    return business;
  }
  const endpoint = await r.webhookEndpoints.findById(endpointId, options);
  return endpoint === null || endpoint.businessId !== business.value.id
    ? err(notFound("webhook endpoint"))
    : ok(endpoint);
}

import type { Business } from "../../domain/business.ts";
import { type InvalidInput, invalid } from "../../domain/invalid-value.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import { type NotFound, notFound } from "./application-errors.ts";

/**
 * The business a request is about: the one named, if the user owns it; or, with no id, the user's only
 * business. Another user's business is `not_found`, exactly like a missing one. With `lock`, the business row
 * stays locked until the transaction ends, serialising changes to it (`lock: "share"`: held, see
 * BusinessRepository.findOwned).
 */
export async function ownedBusiness(
  r: Pick<Repositories, "businesses">,
  userId: string,
  businessId: string | undefined,
  options: { lock?: boolean | "share" } = {},
): Promise<Result<Business, NotFound | InvalidInput>> {
  if (businessId !== undefined) {
    const business = await r.businesses.findOwned(businessId, userId, options);
    return business === null ? err(notFound("business")) : ok(business);
  }
  const businesses = await r.businesses.listByOwner(userId);
  const [only] = businesses;
  if (businesses.length !== 1 || only === undefined) {
    return err(invalid("businessId", "is required when you have more than one business"));
  }
  if (options.lock !== undefined && options.lock !== false) {
    return ownedBusiness(r, userId, only.id, options);
  }
  return ok(only);
}

import type { Business } from "../../domain/business.ts";
import { type InvalidInput, invalid } from "../../domain/invalid-value.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import type { Access, Actor } from "./actor.ts";
import { type NotFound, notFound } from "./application-errors.ts";
import { authorize, type Forbidden } from "./authorize.ts";
import { type Permission, permissionRule } from "./permissions.ts";

/**
 * The business a request means when it names none: an API key's own; for a user, the only business where their
 * role allows the action (an owner who also works as a cashier elsewhere still sets up their own payment method
 * without naming it, as when they owned just the one).
 */
export function impliedBusinessId(actor: Actor, permission: Permission): string | undefined {
  if (actor.kind === "api_key") {
    return actor.businessId;
  }
  const roles = permissionRule(permission).roles;
  const granting = actor.memberships.filter((m) => roles.includes(m.role));
  const [only] = granting;
  return granting.length === 1 ? only?.businessId : undefined;
}

/**
 * The business a request is about, if the caller may do the request's action there (`authorize`): the one
 * named, or with no id the one implied (an API key's own, or the user's only business where they may do it). A business the caller
 * does not belong to is `not_found`, exactly like a missing one; a role or scope that does not allow the action
 * is `forbidden`. With `lock`, the business row stays locked until the transaction ends, serialising changes to
 * it (`lock: "share"`: held, see BusinessRepository.findById).
 */
export async function accessibleBusiness(
  r: Pick<Repositories, "businesses">,
  access: Access,
  businessId: string | undefined | null,
  options: { lock?: boolean | "share" } = {},
): Promise<Result<Business, NotFound | Forbidden | InvalidInput>> {
  const id = businessId ?? impliedBusinessId(access.actor, access.permission);
  if (id === undefined) {
    return err(
      invalid("businessId", "is required when you may do this in more than one business (or in none)"),
    );
  }
  const allowed = authorize(access.actor, access.permission, id);
  if (!allowed.ok) {
    return allowed;
  }
  const business = await r.businesses.findById(id, options);
  return business === null ? err(notFound("business")) : ok(business);
}

/**
 * May the caller do the request's action on a resource of `businessId` (a sale, a payout)? A business the
 * caller does not belong to makes the resource `not_found` (named `entity`), exactly like a missing one.
 */
export function authorizeResource(
  access: Access,
  businessId: string,
  entity: string,
): Result<void, NotFound | Forbidden> {
  const allowed = authorize(access.actor, access.permission, businessId);
  if (allowed.ok) {
    return ok(undefined);
  }
  return allowed.error.type === "not_found" ? err(notFound(entity)) : allowed;
}

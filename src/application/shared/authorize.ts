import { err, ok, type Result } from "../../domain/result.ts";
import type { Role } from "../../domain/role.ts";
import type { Actor } from "./actor.ts";
import { type NotFound, notFound } from "./application-errors.ts";
import { type Permission, permissionRule } from "./permissions.ts";

/** The caller may see the business, but its role or the API key's scopes do not allow this action. */
export type Forbidden = { readonly type: "forbidden"; readonly permission: Permission };

/** How the caller is allowed: by their role in the business, or as an API key. */
export type Allowed = { readonly role: Role | "api_key" | "user" };

/**
 * THE authorisation decision: may `actor` do `permission` in business `businessId`?
 *
 * - A business the actor does not belong to (a user who is no member, a key of another business) is
 *   `not_found`, exactly like a missing one.
 * - A member whose role the permissions table does not list, or a key without the action's scope (or any key for
 *   an action no key may do), is `forbidden`.
 * - With `businessId` null the question is whether the actor may do this anywhere at all: an action that is not
 *   about a business, or the routes' early check before the business is known.
 *
 * Pure: the memberships come with the actor, read in the lookup that authenticated this request, so a removed
 * member or a revoked key is refused on the next request, on every instance.
 */
export function authorize(
  actor: Actor,
  permission: Permission,
  businessId: string | null,
): Result<Allowed, NotFound | Forbidden> {
  const rule = permissionRule(permission);
  const forbidden = err({ type: "forbidden" as const, permission });
  if (actor.kind === "api_key") {
    if (businessId !== null && businessId !== actor.businessId) {
      return err(notFound("business"));
    }
    const allowed = rule.scope === "any" || (rule.scope !== null && actor.scopes.includes(rule.scope));
    return allowed ? ok({ role: "api_key" }) : forbidden;
  }
  if (!rule.business) {
    return ok({ role: "user" });
  }
  if (businessId === null) {
    const granting = actor.memberships.find((m) => rule.roles.includes(m.role));
    return granting === undefined ? forbidden : ok({ role: granting.role });
  }
  const membership = actor.memberships.find((m) => m.businessId === businessId);
  if (membership === undefined) {
    return err(notFound("business"));
  }
  return rule.roles.includes(membership.role) ? ok({ role: membership.role }) : forbidden;
}

/** True when the actor may do the action in the business: for showing or hiding what a page offers. */
export const may = (actor: Actor, permission: Permission, businessId: string | null): boolean =>
  authorize(actor, permission, businessId).ok;

import type { ApiKeyScope } from "../../domain/api-key-scope.ts";
import type { Role } from "../../domain/role.ts";

/**
 * Who may do what: each named action, the roles that may do it in a business, and the API key scope that allows
 * it. This table is the contract's roles table; `authorize` is the only reader that decides, and every route
 * names one of these actions in its definition (the OpenAPI document shows it as `x-permission`, `x-roles` and
 * `x-scopes`).
 *
 * - `scope: null`: no API key may do it, whatever its scopes (members, keys, configs, C2B registration).
 * - `scope: "any"`: every key of the business may (reading the business itself).
 * - `business: false`: the action is not about a business (the wallet, opening a business): any signed-in user
 *   may, and an API key only with `scope: "any"`.
 */
export type PermissionRule = {
  readonly roles: readonly Role[];
  readonly scope: ApiKeyScope | "any" | null;
  readonly business: boolean;
  readonly description: string;
};

const ALL: readonly Role[] = ["owner", "manager", "cashier"];
const STAFF: readonly Role[] = ["owner", "manager"];
const OWNER: readonly Role[] = ["owner"];

const rule = (
  roles: readonly Role[],
  scope: PermissionRule["scope"],
  description: string,
  business = true,
): PermissionRule => ({ roles, scope, business, description });

export const PERMISSIONS = {
  "business:read": rule(ALL, "any", "read the business itself"),
  "sales:read": rule(ALL, "sales:read", "read sales"),
  "sales:write": rule(ALL, "sales:write", "charge customers"),
  "refunds:write": rule(STAFF, "refunds:write", "refund payments"),
  "products:read": rule(ALL, "products:read", "read products"),
  "products:write": rule(STAFF, "products:write", "add, change, restock and archive products"),
  "payouts:read": rule(STAFF, "payouts:read", "read payouts"),
  "payouts:write": rule(OWNER, "payouts:write", "send payouts"),
  "c2b:read": rule(ALL, "c2b:read", "read C2B payments"),
  "c2b:manage": rule(OWNER, null, "register C2B URLs and pull missed C2B payments"),
  "transactions:read": rule(STAFF, null, "look up transactions and the balance"),
  "webhooks:write": rule(STAFF, "webhooks:write", "manage webhook endpoints"),
  "events:read": rule(STAFF, "events:read", "read events"),
  "configs:manage": rule(OWNER, null, "read and change payment and payout configs and payout limits"),
  "members:manage": rule(OWNER, null, "list, add, change and remove members and invitations"),
  "api-keys:manage": rule(OWNER, null, "create, list and revoke API keys"),
  "account:use": rule(ALL, null, "use one's own account: the wallet, opening a business", false),
  "businesses:list": rule(ALL, "any", "list the businesses one may reach", false),
} as const satisfies Record<string, PermissionRule>;

export type Permission = keyof typeof PERMISSIONS;

export const permissionRule = (permission: Permission): PermissionRule => PERMISSIONS[permission];

import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";

/** What a person may do in a business they belong to (the roles table of "API keys and staff"). */
export const ROLES = ["owner", "manager", "cashier"] as const;
export type Role = (typeof ROLES)[number];

/** The roles an owner can give when adding someone (a new member is never made an owner at once). */
export const INVITABLE_ROLES = ["manager", "cashier"] as const;
export type InvitableRole = (typeof INVITABLE_ROLES)[number];

const isRole = (input: unknown): input is Role =>
  typeof input === "string" && (ROLES as readonly string[]).includes(input);

/** A role as a client writes it: one of ROLES. */
export function parseRole(input: unknown, path = "role"): Result<Role, InvalidInput> {
  return isRole(input) ? ok(input) : err(invalid(path, `must be one of ${ROLES.join(", ")}`));
}

/** A role to add a member with: manager or cashier. */
export function parseInvitableRole(input: unknown, path = "role"): Result<InvitableRole, InvalidInput> {
  return input === "manager" || input === "cashier"
    ? ok(input)
    : err(invalid(path, `must be one of ${INVITABLE_ROLES.join(", ")}`));
}

/** A user's place in a business. */
export type Membership = { readonly businessId: string; readonly role: Role };

/** Restores a role read from storage (the column's check constraint already holds it to ROLES). */
export const restoreRole = (value: string): Role => {
  if (!isRole(value)) {
    throw new Error(`unknown role in storage: ${value}`);
  }
  return value;
};

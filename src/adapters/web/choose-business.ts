import type { Business } from "../../domain/business.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for an id as PayMe issues them; anything else from a URL or a form is never sent to the database. */
export const isId = (value: string | undefined): value is string => value !== undefined && UUID.test(value);

/**
 * The business a page is about: the one named in `?business=` (or the form's `business` field) when the user
 * owns it, else their first (the one created at sign-up). Undefined only for a user with no business at all.
 */
export function chooseBusiness(
  businesses: readonly Business[],
  requested: string | undefined,
): Business | undefined {
  const named = isId(requested) ? businesses.find((business) => business.id === requested) : undefined;
  // listByOwner answers newest first: the last is the sign-up business.
  return named ?? businesses[businesses.length - 1];
}

import type { ApiKeyScope } from "../../domain/api-key-scope.ts";
import type { Membership } from "../../domain/role.ts";
import type { Permission } from "./permissions.ts";

/** A person, signed in with a JWT (or the web session), with their memberships as read on this very request. */
export type UserActor = {
  readonly kind: "user";
  readonly userId: string;
  readonly memberships: readonly Membership[];
};

/** A business's API key: it acts for that business only, within its scopes. */
export type ApiKeyActor = {
  readonly kind: "api_key";
  readonly keyId: string;
  readonly businessId: string;
  readonly scopes: readonly ApiKeyScope[];
  /** The user who created the key: named where a person must be recorded (who asked for a payout). */
  readonly createdBy: string;
};

/** Who is calling. */
export type Actor = UserActor | ApiKeyActor;

/** Who is calling, and the action the route they called stands for (its permission, declared with the route). */
export type Access = { readonly actor: Actor; readonly permission: Permission };

/** The id a caller's own records are kept under (idempotency keys, push limits): the user's, or the key's. */
export const callerId = (actor: Actor): string => (actor.kind === "user" ? actor.userId : actor.keyId);

/** The person behind a request: the user, or the user who created the API key. */
export const personId = (actor: Actor): string => (actor.kind === "user" ? actor.userId : actor.createdBy);

/** A user actor with the given memberships (tests and the composition of sessions build them this way). */
export const userActor = (userId: string, memberships: readonly Membership[] = []): UserActor => ({
  kind: "user",
  userId,
  memberships,
});

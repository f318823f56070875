import type { BusinessMembership } from "../ports/member-repository.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { Actor } from "../shared/actor.ts";

/** A business the caller may reach, with the user's role in it (null for an API key, which has no role). */
export type ReachableBusiness = {
  readonly business: BusinessMembership["business"];
  readonly role: BusinessMembership["role"] | null;
};

/** The businesses a user belongs to, newest first; for an API key, its own business. */
export class ListBusinesses {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "members"> }) {}

  execute(actor: Actor): Promise<ReachableBusiness[]> {
    return this.deps.uow.read(async (r) => {
      if (actor.kind === "user") {
        return r.members.listForUser(actor.userId);
      }
      const business = await r.businesses.findById(actor.businessId);
      return business === null ? [] : [{ business, role: null }];
    });
  }
}

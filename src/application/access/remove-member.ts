import type { InvalidInput } from "../../domain/invalid-value.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";
import type { LastOwner } from "./access-errors.ts";

/**
 * An owner removes a member; the member loses access on their next request, on every instance (memberships are
 * read with the bearer on every request). Removing the last owner is `last_owner`.
 */
export class RemoveMember {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "members"> }) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly userId: string;
  }): Promise<Result<void, NotFound | Forbidden | InvalidInput | LastOwner>> {
    return this.deps.uow.run(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId, { lock: true });
      if (!business.ok) {
        return business;
      }
      const member = await r.members.find(business.value.id, input.userId);
      if (member === null) {
        return err(notFound("member"));
      }
      if (member.role === "owner" && (await r.members.countOwners(business.value.id)) <= 1) {
        return err({ type: "last_owner" as const });
      }
      await r.members.remove(business.value.id, member.userId);
      return ok(undefined);
    });
  }
}

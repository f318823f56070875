import type { InvalidInput } from "../../domain/invalid-value.ts";
import { ok, type Result } from "../../domain/result.ts";
import type { Clock } from "../ports/clock.ts";
import type { Invitation } from "../ports/invitation-repository.ts";
import type { Member } from "../ports/member-repository.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/** A business's members (owners first) and its pending invitations (newest first). */
export class ListMembers {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"businesses" | "members" | "invitations">;
      readonly clock: Clock;
    },
  ) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
  }): Promise<Result<{ members: Member[]; invitations: Invitation[] }, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.read(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      return ok({
        members: await r.members.listForBusiness(business.value.id),
        invitations: await r.invitations.listPending(business.value.id, this.deps.clock.now()),
      });
    });
  }
}

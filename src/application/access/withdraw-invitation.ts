import type { InvalidInput } from "../../domain/invalid-value.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/** An owner withdraws a pending invitation: its link stops working. */
export class WithdrawInvitation {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "invitations"> }) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly invitationId: string;
  }): Promise<Result<void, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.run(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      return (await r.invitations.remove(business.value.id, input.invitationId))
        ? ok(undefined)
        : err(notFound("invitation"));
    });
  }
}

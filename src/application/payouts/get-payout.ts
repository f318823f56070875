import type { Payout } from "../../domain/payout.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { Repositories, UnitOfWork } from "../ports/unit-of-work.ts";
import { authorizeResource } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/** One payout of a business the caller belongs to; anyone else's is `not_found`, exactly like a missing one. */
export class GetPayout {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"payouts"> }) {}

  async execute(input: {
    readonly access: Access;
    readonly payoutId: string;
  }): Promise<Result<Payout, NotFound | Forbidden>> {
    return this.deps.uow.run((r) => accessiblePayout(r, input.payoutId, input.access));
  }
}

/** The payout if the caller may do the request's action in its business; else not_found or forbidden. */
export async function accessiblePayout(
  r: Pick<Repositories, "payouts">,
  payoutId: string,
  access: Access,
): Promise<Result<Payout, NotFound | Forbidden>> {
  const payout = await r.payouts.findById(payoutId);
  if (payout === null) {
    return err(notFound("payout"));
  }
  const allowed = authorizeResource(access, payout.businessId, "payout");
  return allowed.ok ? ok(payout) : allowed;
}

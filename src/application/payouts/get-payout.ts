import type { Payout } from "../../domain/payout.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { Repositories, UnitOfWork } from "../ports/unit-of-work.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";

/** One payout of a business the user owns; anyone else's is `not_found`, exactly like a missing one. */
export class GetPayout {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "payouts"> }) {}

  async execute(input: {
    readonly userId: string;
    readonly payoutId: string;
  }): Promise<Result<Payout, NotFound>> {
    const payout = await this.deps.uow.run((r) => ownedPayout(r, input.payoutId, input.userId));
    return payout === null ? err(notFound("payout")) : ok(payout);
  }
}

/** The payout if its business belongs to `userId`, else null. */
export async function ownedPayout(
  r: Pick<Repositories, "payouts" | "businesses">,
  payoutId: string,
  userId: string,
): Promise<Payout | null> {
  const payout = await r.payouts.findById(payoutId);
  if (payout === null) {
    return null;
  }
  const business = await r.businesses.findOwned(payout.businessId, userId);
  return business === null ? null : payout;
}

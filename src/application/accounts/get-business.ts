import type { Business } from "../../domain/business.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";

/** One business of the signed-in user; another user's business is `not_found`, exactly like a missing one. */
export class GetBusiness {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses"> }) {}

  async execute(input: {
    readonly ownerId: string;
    readonly businessId: string;
  }): Promise<Result<Business, NotFound>> {
    const business = await this.deps.uow.read((r) => r.businesses.findOwned(input.businessId, input.ownerId));
    return business === null ? err(notFound("business")) : ok(business);
  }
}

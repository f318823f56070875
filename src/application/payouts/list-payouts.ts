import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { Payout } from "../../domain/payout.ts";
import { ok, type Result } from "../../domain/result.ts";
import type { Page, PageRequest } from "../ports/page.ts";
import type { PayoutFilter } from "../ports/payout-repository.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { NotFound } from "../shared/application-errors.ts";
import { ownedBusiness } from "../shared/owned-business.ts";

/** A business's payouts, newest first, optionally of one status and created within a time range. */
export class ListPayouts {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "payouts"> }) {}

  execute(input: {
    readonly userId: string;
    readonly businessId: string;
    readonly filter: PayoutFilter;
    readonly page: PageRequest;
  }): Promise<Result<Page<Payout>, NotFound | InvalidInput>> {
    return this.deps.uow.read(async (r) => {
      const business = await ownedBusiness(r, input.userId, input.businessId);
      if (!business.ok) {
        return business;
      }
      return ok(await r.payouts.listByBusiness(business.value.id, input.filter, input.page));
    });
  }
}

import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { Payout } from "../../domain/payout.ts";
import { ok, type Result } from "../../domain/result.ts";
import type { Page, PageRequest } from "../ports/page.ts";
import type { PayoutFilter } from "../ports/payout-repository.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/** A business's payouts, newest first, optionally of one status and created within a time range. */
export class ListPayouts {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "payouts"> }) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly filter: PayoutFilter;
    readonly page: PageRequest;
  }): Promise<Result<Page<Payout>, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.read(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      return ok(await r.payouts.listByBusiness(business.value.id, input.filter, input.page));
    });
  }
}

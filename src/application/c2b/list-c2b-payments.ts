import type { C2bPayment } from "../../domain/c2b-payment.ts";
import type { InvalidInput } from "../../domain/invalid-value.ts";
import { ok, type Result } from "../../domain/result.ts";
import type { C2bPaymentFilter } from "../ports/c2b-payment-repository.ts";
import type { Page, PageRequest } from "../ports/page.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

export type C2bPaymentList = Page<C2bPayment> & {
  /** Over the whole filtered set, not just the page. */
  readonly totals: { readonly count: number; readonly amount: number };
};

/** A business's C2B payments, newest first, with the totals of everything the filter matches. */
export class ListC2bPayments {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "c2bPayments"> }) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly filter: C2bPaymentFilter;
    readonly page: PageRequest;
  }): Promise<Result<C2bPaymentList, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.read(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      const page = await r.c2bPayments.listByBusiness(business.value.id, input.filter, input.page);
      const totals = await r.c2bPayments.totals(business.value.id, input.filter);
      return ok({ ...page, totals });
    });
  }
}

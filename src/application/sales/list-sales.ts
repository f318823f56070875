import type { InvalidInput } from "../../domain/invalid-value.ts";
import { ok, type Result } from "../../domain/result.ts";
import type { Sale } from "../../domain/sale.ts";
import type { Page, PageRequest } from "../ports/page.ts";
import type { SaleFilter, SaleTotals } from "../ports/sale-repository.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

export type SaleList = Page<Sale> & {
  /** Over the whole filtered set, not just the page. */
  readonly totals: SaleTotals;
};

/** A business's sales matching a filter, newest first, with the totals of everything the filter matches. */
export class ListSales {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "sales"> }) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly filter?: SaleFilter;
    readonly page: PageRequest;
  }): Promise<Result<SaleList, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.read(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      const filter = input.filter ?? {};
      const page = await r.sales.listByBusiness(business.value.id, filter, input.page);
      const totals = await r.sales.totals(business.value.id, filter);
      return ok({ ...page, totals });
    });
  }
}

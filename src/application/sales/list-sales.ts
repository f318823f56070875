import type { InvalidInput } from "../../domain/invalid-value.ts";
import { ok, type Result } from "../../domain/result.ts";
import type { Sale } from "../../domain/sale.ts";
import type { PaymentStatus } from "../../domain/stk-payment.ts";
import type { Page, PageRequest } from "../ports/page.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/** A business's sales, newest first, optionally of one status. */
export class ListSales {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "sales"> }) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly status?: PaymentStatus;
    readonly page: PageRequest;
  }): Promise<Result<Page<Sale>, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.run(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      const filter = input.status === undefined ? {} : { status: input.status };
      return ok(await r.sales.listByBusiness(business.value.id, filter, input.page));
    });
  }
}

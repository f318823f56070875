import { err, ok, type Result } from "../../domain/result.ts";
import type { Sale } from "../../domain/sale.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";

/** One sale of one of the user's businesses; anyone else's is `not_found`. */
export class GetSale {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "sales"> }) {}

  execute(input: { readonly userId: string; readonly saleId: string }): Promise<Result<Sale, NotFound>> {
    return this.deps.uow.run(async (r) => {
      const sale = await r.sales.findById(input.saleId);
      const owned = sale === null ? null : await r.businesses.findOwned(sale.businessId, input.userId);
      return sale === null || owned === null ? err(notFound("sale")) : ok(sale);
    });
  }
}

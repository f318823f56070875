import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { lockSaleProducts, saveSale } from "./save-sale.ts";

/**
 * Gives back the stock of sales whose hold (STOCK_HOLD_SECONDS) ended while their payment is still unknown.
 * If such a sale is paid later, it takes the stock again if it can, or is flagged for a person.
 */
export class ReleaseLapsedHolds {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"outbox" | "products" | "sales">;
      readonly clock: Clock;
      readonly ids: IdGenerator;
    },
  ) {}

  execute(input: { readonly limit: number }): Promise<number> {
    return this.deps.uow.run(async (r) => {
      const now = this.deps.clock.now();
      const lapsed = await r.sales.claimLapsedHolds(now, input.limit);
      // All their products first, in id order: never one sale's while holding another's.
      const products = await lockSaleProducts(r, lapsed);
      for (const sale of lapsed) {
        await saveSale(r, sale, { now, ids: this.deps.ids }, products);
      }
      return lapsed.length;
    });
  }
}

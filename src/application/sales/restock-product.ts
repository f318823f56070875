import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { Product } from "../../domain/product.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { StockLevel } from "../../domain/stock-level.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/**
 * Adds delivered units to a product's sellable stock, with its row locked: a sale reserving at the same moment
 * waits, and what it holds is left as it is (setting the stock instead would overwrite it). An archived product
 * can be restocked (it may be brought back later).
 */
export class RestockProduct {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "products"> }) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly productId: string;
    readonly quantity: StockLevel;
  }): Promise<Result<Product, InvalidInput | NotFound | Forbidden>> {
    return this.deps.uow.run(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      const [product] = await r.products.lockInBusiness([input.productId], business.value.id);
      if (product === undefined) {
        return err(notFound("product"));
      }
      const restocked = product.restock(input.quantity);
      if (!restocked.ok) {
        return restocked;
      }
      await r.products.update(product);
      return ok(product);
    });
  }
}

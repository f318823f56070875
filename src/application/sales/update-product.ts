import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { Kes } from "../../domain/kes.ts";
import type { Product } from "../../domain/product.ts";
import type { ProductName } from "../../domain/product-name.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { Sku } from "../../domain/sku.ts";
import type { StockLevel } from "../../domain/stock-level.ts";
import type { SkuTaken } from "../ports/product-repository.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

export type UpdateProductCommand = {
  readonly access: Access;
  readonly businessId: string;
  readonly productId: string;
  readonly changes: {
    readonly name?: ProductName;
    readonly price?: Kes;
    readonly stock?: StockLevel;
    /** Null clears it. */
    readonly sku?: Sku | null;
  };
};

/**
 * Changes a product's name, price, SKU or sellable stock, with its row locked so that a sale reserving at the same
 * moment is not lost. Quantities held by pending sales stay as they are.
 */
export class UpdateProduct {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "products"> }) {}

  execute(
    input: UpdateProductCommand,
  ): Promise<Result<Product, InvalidInput | NotFound | Forbidden | SkuTaken>> {
    return this.deps.uow.run(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      const [product] = await r.products.lockInBusiness([input.productId], business.value.id);
      if (product === undefined) {
        return err(notFound("product"));
      }
      const sku = input.changes.sku;
      if (
        sku != null &&
        sku.value !== product.sku &&
        (await r.products.hasSku(business.value.id, sku.value))
      ) {
        return err({ type: "sku_taken" as const, sku: sku.value });
      }
      const updated = product.update(input.changes);
      if (!updated.ok) {
        return updated;
      }
      await r.products.update(product);
      return ok(product);
    });
  }
}

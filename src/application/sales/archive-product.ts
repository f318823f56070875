import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { Product } from "../../domain/product.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { Clock } from "../ports/clock.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/**
 * The business stops selling a product: it can no longer be charged, stays in the sales that list it, and is left
 * out of product lists unless they ask for archived ones. Pending sales keep what they hold. Archiving twice
 * answers the same product.
 */
export class ArchiveProduct {
  constructor(
    private readonly deps: { readonly uow: UnitOfWork<"businesses" | "products">; readonly clock: Clock },
  ) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly productId: string;
  }): Promise<Result<Product, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.run(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      const [product] = await r.products.lockInBusiness([input.productId], business.value.id);
      if (product === undefined) {
        return err(notFound("product"));
      }
      product.archive(this.deps.clock.now());
      await r.products.update(product);
      return ok(product);
    });
  }
}

import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { Product } from "../../domain/product.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/** One product of a business, archived or not; another business's is `not_found`, as if it did not exist. */
export class GetProduct {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "products"> }) {}

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
      const product = await r.products.findInBusiness(input.productId, business.value.id);
      return product === null ? err(notFound("product")) : ok(product);
    });
  }
}

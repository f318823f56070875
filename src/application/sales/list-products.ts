import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { Product } from "../../domain/product.ts";
import { ok, type Result } from "../../domain/result.ts";
import type { Page, PageRequest } from "../ports/page.ts";
import type { ProductFilter } from "../ports/product-repository.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/** A business's products, newest first; archived ones only when the filter asks. */
export class ListProducts {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "products"> }) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly filter?: ProductFilter;
    readonly page: PageRequest;
  }): Promise<Result<Page<Product>, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.run(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      return business.ok
        ? ok(await r.products.listByBusiness(business.value.id, input.filter ?? {}, input.page))
        : business;
    });
  }
}

import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { Kes } from "../../domain/kes.ts";
import { Product } from "../../domain/product.ts";
import type { ProductName } from "../../domain/product-name.ts";
import { ok, type Result } from "../../domain/result.ts";
import type { Sku } from "../../domain/sku.ts";
import type { StockLevel } from "../../domain/stock-level.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { SkuTaken } from "../ports/product-repository.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

export type CreateProductCommand = {
  readonly access: Access;
  readonly businessId: string;
  readonly name: ProductName;
  /** 1 to 250,000 shillings (Kes.forPrice): one STK push asks for at most that. */
  readonly price: Kes;
  readonly stock: StockLevel;
  readonly sku?: Sku | null;
};

/** A business adds something it sells, with its price and sellable stock. A SKU is unique within the business. */
export class CreateProduct {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"businesses" | "products">;
      readonly ids: IdGenerator;
      readonly clock: Clock;
    },
  ) {}

  execute(
    input: CreateProductCommand,
  ): Promise<Result<Product, InvalidInput | NotFound | Forbidden | SkuTaken>> {
    return this.deps.uow.run(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      const product = Product.create({
        id: this.deps.ids.next(),
        businessId: business.value.id,
        name: input.name,
        price: input.price,
        stock: input.stock,
        sku: input.sku ?? null,
        createdAt: this.deps.clock.now(),
      });
      const added = await r.products.add(product);
      return added.ok ? ok(product) : added;
    });
  }
}

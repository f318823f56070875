import { err, ok, type Result } from "../../domain/result.ts";
import type { Sale } from "../../domain/sale.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { authorizeResource } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/** One sale of a business the caller belongs to; anyone else's is `not_found`. */
export class GetSale {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"sales"> }) {}

  async execute(input: {
    readonly access: Access;
    readonly saleId: string;
  }): Promise<Result<Sale, NotFound | Forbidden>> {
    const sale = await this.deps.uow.read((r) => r.sales.findById(input.saleId));
    if (sale === null) {
      return err(notFound("sale"));
    }
    const allowed = authorizeResource(input.access, sale.businessId, "sale");
    return allowed.ok ? ok(sale) : allowed;
  }
}

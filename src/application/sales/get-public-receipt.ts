import type { Business } from "../../domain/business.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { Sale } from "../../domain/sale.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";

/** What a receipt link shows: the paid sale, and the name of the business that sold it. */
export type PublicReceipt = { readonly sale: Sale; readonly businessName: string };

/**
 * The receipt behind a public link, for anyone holding its token and without signing in. Only a paid sale has
 * one; any other token, or a sale that is no longer paid, is `not_found`, exactly like a token never issued.
 */
export class GetPublicReceipt {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"sales" | "businesses"> }) {}

  async execute(input: { readonly token: string }): Promise<Result<PublicReceipt, NotFound>> {
    return this.deps.uow.read(async (r) => {
      const sale = await r.sales.findByReceiptToken(input.token);
      if (sale === null || sale.status !== "paid") {
        return err(notFound("receipt"));
      }
      const business: Business | null = await r.businesses.findById(sale.businessId);
      return business === null ? err(notFound("receipt")) : ok({ sale, businessName: business.name });
    });
  }
}

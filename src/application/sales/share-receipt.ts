import { type InvalidInput, invalid } from "../../domain/invalid-value.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { ReceiptTokens } from "../ports/receipt-tokens.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { authorizeResource } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/**
 * The token of a paid sale's public receipt link, issued the first time anyone asks and the same ever after.
 * Only the token is written: a payment settling at the same moment is not overwritten.
 */
export class ShareReceipt {
  constructor(
    private readonly deps: { readonly uow: UnitOfWork<"sales">; readonly receiptTokens: ReceiptTokens },
  ) {}

  async execute(input: {
    readonly access: Access;
    readonly saleId: string;
  }): Promise<Result<string, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.run(async (r) => {
      const sale = await r.sales.findById(input.saleId);
      if (sale === null) {
        return err(notFound("sale"));
      }
      const allowed = authorizeResource(input.access, sale.businessId, "sale");
      if (!allowed.ok) {
        return allowed;
      }
      if (sale.status !== "paid") {
        return err(invalid("saleId", "has no receipt: the sale is not paid"));
      }
      if (sale.receiptToken !== null) {
        return ok(sale.receiptToken);
      }
      return ok(await r.sales.issueReceiptToken(sale.id, this.deps.receiptTokens.issue()));
    });
  }
}

import type { Refund } from "../../domain/refund.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";

/**
 * The refunds of one receipt of a business, newest first: what a sale's or C2B payment's page shows. The caller
 * has already been allowed to see the payment.
 */
export class ListRefundsOfReceipt {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"refunds"> }) {}

  execute(input: { readonly businessId: string; readonly receipt: string | null }): Promise<Refund[]> {
    const { receipt } = input;
    if (receipt === null) {
      return Promise.resolve([]);
    }
    return this.deps.uow.read((r) => r.refunds.listByReceipt(input.businessId, receipt));
  }
}

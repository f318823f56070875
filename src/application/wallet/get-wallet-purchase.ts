import { err, ok, type Result } from "../../domain/result.ts";
import type { WalletPurchase } from "../../domain/wallet-purchase.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";

/** One of the user's own wallet purchases; another user's is `not_found`. */
export class GetWalletPurchase {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"walletPurchases"> }) {}

  async execute(input: {
    readonly userId: string;
    readonly purchaseId: string;
  }): Promise<Result<WalletPurchase, NotFound>> {
    const purchase = await this.deps.uow.run((r) =>
      r.walletPurchases.findOwned(input.purchaseId, input.userId),
    );
    return purchase === null ? err(notFound("wallet purchase")) : ok(purchase);
  }
}

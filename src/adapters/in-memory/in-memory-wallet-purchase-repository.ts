import type { WalletPurchaseRepository } from "../../application/ports/wallet-purchase-repository.ts";
import { WalletPurchase, type WalletPurchaseState } from "../../domain/wallet-purchase.ts";
import { InMemoryStkPaymentRepository } from "./in-memory-stk-payment-repository.ts";

export class InMemoryWalletPurchaseRepository
  extends InMemoryStkPaymentRepository<WalletPurchase, WalletPurchaseState>
  implements WalletPurchaseRepository
{
  protected readonly table = "wallet_purchases";
  readonly kind = "wallet_purchase";

  protected rows(): Map<string, WalletPurchaseState> {
    return this.tables.walletPurchases;
  }

  protected restore(row: WalletPurchaseState): WalletPurchase {
    return WalletPurchase.restore(row);
  }

  protected toRow(payment: WalletPurchase): WalletPurchaseState {
    return payment.snapshot();
  }

  async findOwned(id: string, userId: string): Promise<WalletPurchase | null> {
    const row = this.tables.walletPurchases.get(id);
    return row === undefined || row.userId !== userId ? null : WalletPurchase.restore(row);
  }
}

import type { WalletPurchase } from "../../domain/wallet-purchase.ts";
import type { StkPaymentRepository } from "./stk-payment-repository.ts";

/** Wallet token purchases. */
export interface WalletPurchaseRepository extends StkPaymentRepository<WalletPurchase> {
  /** The purchase if it belongs to `userId`, else null. */
  findOwned(id: string, userId: string): Promise<WalletPurchase | null>;
}

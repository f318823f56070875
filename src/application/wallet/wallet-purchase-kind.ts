import { WalletLedgerEntry } from "../../domain/wallet-ledger-entry.ts";
import { WalletPurchase } from "../../domain/wallet-purchase.ts";
import type { WalletPaybill } from "../shared/wallet-paybill.ts";
import { type StkPaymentKind, stkPaymentKind } from "../stk/stk-payment-kind.ts";

/**
 * Wallet purchases as the payment seam settles them: a paid one earns its ledger credit (once: the ledger's
 * unique source backs the state machine up); Daraja is asked through the wallet paybill.
 */
export function walletPurchaseKind(deps: { readonly wallet: WalletPaybill }): StkPaymentKind {
  return stkPaymentKind<WalletPurchase>({
    kind: "wallet_purchase",
    owns: (payment) => payment instanceof WalletPurchase,
    store: (r) => r.walletPurchases,
    saveChange: async (r, purchase, change, { now, ids }) => {
      await r.walletPurchases.update(purchase);
      if (change === "paid") {
        const credit = WalletLedgerEntry.creditFor(purchase, ids.next(), now);
        if (!credit.ok) {
          throw new Error(`a paid purchase could not be credited: ${credit.error.reason}`);
        }
        await r.walletLedger.append(credit.value);
      }
    },
    queryTarget: async (_r, _purchase, checkoutRequestId) => {
      const { passkey, shortcode } = deps.wallet;
      return passkey === null
        ? null
        : { app: null, businessShortCode: shortcode, passkey, checkoutRequestId };
    },
  });
}

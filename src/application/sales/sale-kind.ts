import { Sale } from "../../domain/sale.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import { verifyConfig } from "../shared/record-event.ts";
import { type StkPaymentKind, stkPaymentKind } from "../stk/stk-payment-kind.ts";
import { configQueryTarget } from "../stk/stk-query-target.ts";
import { lockSaleProducts, saveSale } from "./save-sale.ts";

/**
 * Sales as the payment seam settles them: a change commits, releases or takes the stock again and is recorded in
 * the outbox; a paid sale verifies the config it went through; Daraja is asked through that same config.
 */
export function saleKind(deps: { readonly secretBox: SecretBox }): StkPaymentKind {
  return stkPaymentKind<Sale>({
    kind: "sale",
    owns: (payment) => payment instanceof Sale,
    store: (r) => r.sales,
    saveChange: async (r, sale, change, context) => {
      await saveSale(r, sale, context);
      if (change === "paid") {
        // Any successful payment through a config proves it works.
        await verifyConfig(r, sale.paymentConfigId, context);
      }
    },
    queryTarget: (r, sale, checkoutRequestId) =>
      configQueryTarget(r, deps.secretBox, sale.paymentConfigId, checkoutRequestId),
    // Each sale's save locks its products again (rows this transaction holds already: no wait).
    lockForChanges: async (r, sales) => {
      await lockSaleProducts(r, sales);
    },
  });
}

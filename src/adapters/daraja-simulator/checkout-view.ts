import type { CheckoutView } from "./daraja-simulator.ts";
import { stkResult } from "./simulator-payloads.ts";
import type { CheckoutRecord } from "./simulator-records.ts";

/** What the simulator shows of a checkout: its request, and once settled, its result. */
export function checkoutView(checkout: CheckoutRecord): CheckoutView {
  const settled = checkout.status === "settled" ? stkResult(checkout.outcome) : null;
  return {
    checkoutRequestId: checkout.checkoutRequestId,
    merchantRequestId: checkout.merchantRequestId,
    businessShortCode: checkout.businessShortCode,
    transactionType: checkout.transactionType,
    partyB: checkout.partyB,
    phone: checkout.phone,
    amount: checkout.amount,
    accountReference: checkout.accountReference,
    callbackUrl: checkout.callbackUrl,
    status: checkout.status,
    resultCode: settled === null ? null : String(settled.resultCode),
    resultDesc: settled?.resultDesc ?? null,
    receipt: checkout.receipt,
    transactionDate: checkout.transactionDate,
  };
}

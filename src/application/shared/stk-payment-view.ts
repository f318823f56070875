import type { StkPayment } from "../../domain/stk-payment.ts";

/** What every STK payment shows: its state, its money and what M-Pesa said. Optional fields appear once known. */
export const stkPaymentView = (payment: StkPayment) => ({
  id: payment.id,
  status: payment.status,
  amount: payment.amount.value,
  phone: payment.phone.value,
  checkoutRequestId: payment.checkoutRequestId,
  ...(payment.mpesaReceipt === null ? {} : { mpesaReceipt: payment.mpesaReceipt }),
  ...(payment.resultCode === null ? {} : { resultCode: payment.resultCode }),
  ...(payment.failureReason === null ? {} : { failureReason: payment.failureReason }),
  // A row from before PayMe kept push outcomes cannot tell: unknown.
  pushOutcome: payment.pushOutcome ?? "unknown",
  needsAttention: payment.needsAttention,
  ...(payment.attentionKind === null ? {} : { attentionKind: payment.attentionKind }),
  ...(payment.attentionReason === null ? {} : { attentionReason: payment.attentionReason }),
  createdAt: payment.createdAt.toISOString(),
  ...(payment.completedAt === null ? {} : { completedAt: payment.completedAt.toISOString() }),
});

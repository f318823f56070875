import type { C2bPayment } from "../../domain/c2b-payment.ts";

/** A C2B payment as the API shows it (GET /api/c2b-payments/:id) and as its events carry it. */
export const c2bPaymentView = (payment: C2bPayment) => ({
  id: payment.id,
  kind: "c2b" as const,
  businessId: payment.businessId,
  receipt: payment.receipt,
  amount: payment.amount.value,
  // As Daraja sent it: masked or hashed, never a number PayMe can normalise.
  phone: payment.phone,
  ...(payment.payerName === null ? {} : { payerName: payment.payerName }),
  ...(payment.accountNumber === null ? {} : { accountNumber: payment.accountNumber }),
  transactionType: payment.transactionType,
  shortcode: payment.shortcode,
  paidAt: payment.paidAt.toISOString(),
  source: payment.source,
  ...(payment.matchedSaleId === null ? {} : { matchedSaleId: payment.matchedSaleId }),
  needsAttention: payment.needsAttention,
  ...(payment.attentionReason === null ? {} : { attentionReason: payment.attentionReason }),
  refundedAmount: payment.refundedAmount,
  createdAt: payment.createdAt.toISOString(),
});

import type { Refund } from "../../domain/refund.ts";

/** A refund as the API shows it (GET /api/refunds/:id) and as its events carry it. Optional fields appear once known. */
export const refundView = (refund: Refund) => ({
  id: refund.id,
  businessId: refund.businessId,
  ...(refund.saleId === null ? {} : { saleId: refund.saleId }),
  ...(refund.c2bPaymentId === null ? {} : { c2bPaymentId: refund.c2bPaymentId }),
  method: refund.method,
  status: refund.status,
  amount: refund.amount.value,
  ...(refund.reason === null ? {} : { reason: refund.reason }),
  restock: refund.restock,
  originalReceipt: refund.originalReceipt,
  ...(refund.payoutId === null ? {} : { payoutId: refund.payoutId }),
  ...(refund.mpesaReceipt === null ? {} : { mpesaReceipt: refund.mpesaReceipt }),
  ...(refund.resultCode === null ? {} : { resultCode: refund.resultCode }),
  ...(refund.failureReason === null ? {} : { failureReason: refund.failureReason }),
  pushOutcome: refund.pushOutcome,
  needsAttention: refund.needsAttention,
  ...(refund.attentionReason === null ? {} : { attentionReason: refund.attentionReason }),
  createdAt: refund.createdAt.toISOString(),
  ...(refund.completedAt === null ? {} : { completedAt: refund.completedAt.toISOString() }),
});

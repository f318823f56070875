import type { Payout } from "../../domain/payout.ts";

/** A payout as the API shows it and as its events carry it: its state, its money and what M-Pesa said. Optional fields appear once known. */
export const payoutView = (payout: Payout) => ({
  id: payout.id,
  businessId: payout.businessId,
  status: payout.status,
  amount: payout.amount.value,
  phone: payout.phone.value,
  commandId: payout.commandId,
  remarks: payout.remarks,
  originatorConversationId: payout.originatorConversationId,
  ...(payout.conversationId === null ? {} : { conversationId: payout.conversationId }),
  ...(payout.mpesaReceipt === null ? {} : { mpesaReceipt: payout.mpesaReceipt }),
  ...(payout.recipientName === null ? {} : { recipientName: payout.recipientName }),
  ...(payout.resultCode === null ? {} : { resultCode: payout.resultCode }),
  ...(payout.failureReason === null ? {} : { failureReason: payout.failureReason }),
  // A row from before PayMe kept request outcomes cannot tell: unknown.
  pushOutcome: payout.pushOutcome ?? "unknown",
  needsAttention: payout.needsAttention,
  ...(payout.attentionReason === null ? {} : { attentionReason: payout.attentionReason }),
  ...(payout.queueTimedOutAt === null ? {} : { queueTimedOutAt: payout.queueTimedOutAt.toISOString() }),
  createdAt: payout.createdAt.toISOString(),
  ...(payout.completedAt === null ? {} : { completedAt: payout.completedAt.toISOString() }),
});

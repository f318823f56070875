import type { PayoutStoryEntry } from "../../application/payouts/get-payout-story.ts";
import type { Payout } from "../../domain/payout.ts";
import type { PayoutConfig } from "../../domain/payout-config.ts";

/**
 * The JSON shapes of payouts and payout configs. Never an initiator password, a consumer secret or a callback
 * token, in any form.
 */

export const presentPayoutConfig = (config: PayoutConfig) => ({
  id: config.id,
  businessId: config.businessId,
  shortcode: config.shortcode.value,
  initiatorName: config.initiatorName,
  hasOwnDarajaApp: config.ownApp !== null,
  dailyLimit: config.limits.daily,
  perPayoutLimit: config.limits.perPayout,
  createdAt: config.createdAt.toISOString(),
});

/** A payout: its state, its money and what M-Pesa said. Optional fields appear once known. */
export const presentPayout = (payout: Payout) => ({
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

/**
 * One line of a payout's story. PayMe's own events carry their details; a callback carries its kind, whether
 * its URL token was right, what became of it, and its body as received.
 */
export const presentPayoutStoryEntry = (entry: PayoutStoryEntry) =>
  entry.source === "payme"
    ? { ...entry.event.detail, at: entry.at.toISOString(), type: entry.event.type }
    : {
        at: entry.at.toISOString(),
        type: "callback",
        kind: entry.callback.kind,
        trusted: entry.callback.trusted,
        disposition: entry.callback.disposition,
        body: entry.callback.body,
      };

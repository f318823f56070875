import type { PayoutView } from "./daraja-simulator.ts";
import type { B2cOutcome } from "./simulator-outcomes.ts";
import type { PayoutRecord } from "./simulator-records.ts";

/** What the simulator shows of a payout: its request, and once settled (with its outcome), its result. */
export function payoutView(payout: PayoutRecord, settledOutcome: B2cOutcome | null): PayoutView {
  const settled = payout.status === "settled";
  const outcome = settled ? settledOutcome : null;
  const failed = outcome?.kind === "failed" ? outcome : null;
  return {
    originatorConversationId: payout.originatorConversationId,
    conversationId: payout.conversationId,
    initiatorName: payout.initiatorName,
    shortcode: payout.shortcode,
    phone: payout.phone,
    amount: payout.amount,
    commandId: payout.commandId,
    status: payout.status,
    resultCode: settled ? String(failed?.resultCode ?? 0) : null,
    resultDesc: settled ? (failed?.resultDesc ?? "The service request is processed successfully.") : null,
    receipt: payout.receipt,
    queueTimedOut: outcome?.kind === "queue_timeout",
  };
}

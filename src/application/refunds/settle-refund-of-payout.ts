import type { Payout } from "../../domain/payout.ts";
import type { EventContext } from "../shared/record-event.ts";
import { type RefundRepositories, saveRefund } from "./save-refund.ts";

/**
 * A payout that carries a partial (B2C) refund reached a final status: the refund follows it, in the caller's
 * transaction. A payout of no refund changes nothing.
 */
export async function settleRefundOfPayout(
  r: RefundRepositories,
  payout: Payout,
  context: EventContext,
): Promise<void> {
  const refund = await r.refunds.findByPayoutId(payout.id, { lock: true });
  if (refund === null) {
    return;
  }
  if (payout.status === "completed") {
    refund.complete({ receipt: payout.mpesaReceipt, at: payout.completedAt ?? context.now });
  } else if (payout.status === "failed") {
    refund.failWithPayout({
      resultCode: payout.resultCode,
      failureReason: payout.failureReason,
      at: payout.completedAt ?? context.now,
    });
  }
  await saveRefund(r, refund, context);
}

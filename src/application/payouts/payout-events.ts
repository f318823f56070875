import type { Payout } from "../../domain/payout.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import { settleRefundOfPayout } from "../refunds/settle-refund-of-payout.ts";
import { type EventContext, recordEvent } from "../shared/record-event.ts";
import { payoutView } from "./payout-view.ts";

/** What saving a payout's change touches: the outbox, and the refund it may carry (with what a refund moves). */
export type PayoutChangeRepositories = Pick<
  Repositories,
  "c2bPayments" | "outbox" | "products" | "refunds" | "sales"
>;

/**
 * Records a saved payout's new status in the outbox, in the caller's transaction: `payout.completed` or
 * `payout.failed`, once; a payout whose status did not change records nothing. A payout that carries a partial
 * refund settles the refund with it.
 */
export async function recordPayoutChange(
  r: PayoutChangeRepositories,
  payout: Payout,
  context: EventContext,
): Promise<void> {
  const status = payout.takeStatusChange();
  if (status === "completed" || status === "failed") {
    await recordEvent(r, context, `payout.${status}`, payout.businessId, payoutView(payout));
    await settleRefundOfPayout(r, payout, context);
  }
}

import type { Payout } from "../../domain/payout.ts";
import type { PayoutFollower, PayoutFollowerRepositories } from "../ports/payout-follower.ts";
import { payoutView } from "./payout-view.ts";
import { type EventContext, recordEvent } from "./record-event.ts";

/** What saving a payout's change touches: the outbox, and whatever its follower moves. */
export type PayoutChangeRepositories = PayoutFollowerRepositories;

/**
 * Records a saved payout's new status in the outbox, in the caller's transaction: `payout.completed` or
 * `payout.failed`, once, and tells the follower (a refund the payout carries settles with it); a payout whose
 * status did not change records nothing.
 */
export async function recordPayoutChange(
  r: PayoutChangeRepositories,
  payout: Payout,
  context: EventContext,
  follower: PayoutFollower,
): Promise<void> {
  const status = payout.takeStatusChange();
  if (status === "completed" || status === "failed") {
    await recordEvent(r, context, `payout.${status}`, payout.businessId, payoutView(payout));
    await follower.payoutSettled(r, payout, context);
  }
}

import type { Payout } from "../../domain/payout.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import { type EventContext, recordEvent } from "../shared/record-event.ts";
import { payoutView } from "./payout-view.ts";

/**
 * Records a saved payout's new status in the outbox, in the caller's transaction: `payout.completed` or
 * `payout.failed`, once; a payout whose status did not change records nothing.
 */
export async function recordPayoutChange(
  r: Pick<Repositories, "outbox">,
  payout: Payout,
  context: EventContext,
): Promise<void> {
  const status = payout.takeStatusChange();
  if (status === "completed" || status === "failed") {
    await recordEvent(r, context, `payout.${status}`, payout.businessId, payoutView(payout));
  }
}

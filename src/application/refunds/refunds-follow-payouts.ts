import type { PayoutFollower } from "../ports/payout-follower.ts";
import { settleRefundOfPayout } from "./settle-refund-of-payout.ts";

/** A partial refund's payout settles the refund: registered as the payouts' follower. */
export const refundsFollowPayouts: PayoutFollower = { payoutSettled: settleRefundOfPayout };

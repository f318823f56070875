import type { Payout } from "../../domain/payout.ts";
import type { IdGenerator } from "./id-generator.ts";
import type { Repositories } from "./unit-of-work.ts";

/** What a payout's follower may touch, in the transaction that settled the payout. */
export type PayoutFollowerRepositories = Pick<
  Repositories,
  "c2bPayments" | "outbox" | "products" | "refunds" | "sales"
>;

/**
 * Told, in the same transaction, when a payout reached a final status (completed or failed), so that what the
 * payout carried follows it: a partial refund is a payout whose settlement settles the refund. Registered at
 * the composition root; the payouts feature knows nothing of what follows.
 */
export interface PayoutFollower {
  payoutSettled(
    r: PayoutFollowerRepositories,
    payout: Payout,
    context: { readonly now: Date; readonly ids: IdGenerator },
  ): Promise<void>;
}

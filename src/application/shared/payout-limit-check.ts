import type { Kes } from "../../domain/kes.ts";
import { startOfNairobiDay } from "../../domain/nairobi-day.ts";
import type { PayoutConfig } from "../../domain/payout-config.ts";
import type { PayoutLimitExceeded } from "../../domain/payout-limits.ts";
import type { Result } from "../../domain/result.ts";
import type { Repositories } from "../ports/unit-of-work.ts";

/**
 * Whether the business's limits allow a payout of `amount` at `now`: at most the per-payout limit, and, with
 * the business's pending and completed payouts since midnight EAT, at most the daily limit.
 *
 * The check holds only if no other payout of the business is stored between it and this one's insert: call it
 * in the transaction that stores the payout, with the payout config's row locked (`findActiveByBusiness` with
 * `lock`), so that concurrent payouts take turns.
 */
export async function checkPayoutLimits(
  r: Pick<Repositories, "payouts">,
  config: PayoutConfig,
  amount: Kes,
  now: Date,
): Promise<Result<void, PayoutLimitExceeded>> {
  const usedToday = await r.payouts.sumPendingAndCompletedSince(config.businessId, startOfNairobiDay(now));
  return config.limits.allow(amount, usedToday);
}

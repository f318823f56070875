import { type InvalidInput, invalid } from "./invalid-value.ts";
import { Kes } from "./kes.ts";
import { err, ok, type Result } from "./result.ts";

/** A payout that one of the business's limits does not allow. Nothing was stored or sent. */
export type PayoutLimitExceeded = {
  readonly type: "payout_limit_exceeded";
  readonly limit: "per_payout" | "daily";
  /** The limit that was hit, in shillings. */
  readonly limitAmount: number;
  /** The payout asked for. */
  readonly amount: number;
  /** Pending and completed payouts of the business since midnight EAT, before this one. */
  readonly usedToday: number;
};

/**
 * How much a business may pay out: at most `perPayout` in one payout, and at most `daily` in all the payouts
 * since midnight EAT that are pending or completed (a failed payout moved no money, so it does not count).
 *
 * Both are whole shillings from 10. A payout can never be over KES 250,000, so neither can its limit; a day's
 * limit stops at KES 1,000,000,000, which keeps it, and any day's total, far inside a 32-bit column.
 */
export class PayoutLimits {
  static readonly MIN = Kes.PAYOUT_MIN;
  static readonly PER_PAYOUT_MAX = Kes.PAYOUT_MAX;
  static readonly DAILY_MAX = 1_000_000_000;
  static readonly DEFAULT_DAILY = 100_000;
  static readonly DEFAULT_PER_PAYOUT = 70_000;

  private constructor(
    readonly daily: number,
    readonly perPayout: number,
  ) {}

  /** The limits of a business that never changed them: KES 100,000 a day, KES 70,000 a payout. */
  static defaults(): PayoutLimits {
    return new PayoutLimits(PayoutLimits.DEFAULT_DAILY, PayoutLimits.DEFAULT_PER_PAYOUT);
  }

  /** Rebuilds stored limits without re-checking them. */
  static restore(daily: number, perPayout: number): PayoutLimits {
    return new PayoutLimits(daily, perPayout);
  }

  /** A day's limit as asked: whole shillings from 10 to 1,000,000,000. */
  static parseDaily(input: unknown, path = "dailyLimit"): Result<Kes, InvalidInput> {
    return limit(input, path, PayoutLimits.DAILY_MAX);
  }

  /** A payout's limit as asked: whole shillings from 10 to 250,000. */
  static parsePerPayout(input: unknown, path = "perPayoutLimit"): Result<Kes, InvalidInput> {
    return limit(input, path, PayoutLimits.PER_PAYOUT_MAX);
  }

  /** These limits with the given ones changed (a field left undefined stays as it is). */
  with(changes: { readonly daily?: Kes; readonly perPayout?: Kes }): PayoutLimits {
    return new PayoutLimits(changes.daily?.value ?? this.daily, changes.perPayout?.value ?? this.perPayout);
  }

  /**
   * Whether a payout of `amount` is allowed when the business's pending and completed payouts since midnight
   * EAT come to `usedToday`.
   */
  allow(amount: Kes, usedToday: number): Result<void, PayoutLimitExceeded> {
    const refused = (which: PayoutLimitExceeded["limit"], limitAmount: number) =>
      err({
        type: "payout_limit_exceeded" as const,
        limit: which,
        limitAmount,
        amount: amount.value,
        usedToday,
      });
    if (amount.value > this.perPayout) {
      return refused("per_payout", this.perPayout);
    }
    if (usedToday + amount.value > this.daily) {
      return refused("daily", this.daily);
    }
    return ok();
  }

  equals(other: PayoutLimits): boolean {
    return this.daily === other.daily && this.perPayout === other.perPayout;
  }
}

function limit(input: unknown, path: string, max: number): Result<Kes, InvalidInput> {
  const range = `must be a whole number of shillings from ${PayoutLimits.MIN} to ${max.toLocaleString("en-US")}`;
  if (typeof input !== "number" || !Number.isInteger(input)) {
    return err(invalid(path, range));
  }
  return input < PayoutLimits.MIN || input > max ? err(invalid(path, range)) : ok(Kes.restore(input));
}

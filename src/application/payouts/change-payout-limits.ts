import { type InvalidInput, invalid } from "../../domain/invalid-value.ts";
import type { Kes } from "../../domain/kes.ts";
import type { PayoutConfig } from "../../domain/payout-config.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

export type ChangePayoutLimitsInput = {
  readonly access: Access;
  /** May be left out when the user has exactly one business. */
  readonly businessId?: string;
  /** Left out: unchanged. Parsed by PayoutLimits.parseDaily and parsePerPayout. */
  readonly dailyLimit?: Kes;
  readonly perPayoutLimit?: Kes;
};

/**
 * The business's owner changes its payout limits (the daily one, the per-payout one, or both). Only the owner:
 * for anyone else the business does not exist. The active payout config's row is locked while it changes, so
 * a payout being checked against the old limits finishes first, and the next one sees the new limits; and a
 * setup that replaces the config waits for the change, and carries it over.
 */
export class ChangePayoutLimits {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "payoutConfigs"> }) {}

  async execute(
    input: ChangePayoutLimitsInput,
  ): Promise<Result<PayoutConfig, NotFound | Forbidden | InvalidInput>> {
    if (input.dailyLimit === undefined && input.perPayoutLimit === undefined) {
      return err(invalid("dailyLimit", "or perPayoutLimit is required: give the limit to change"));
    }
    return this.deps.uow.run(async (r) => {
      // The business shared first, as a payout does: a setup (which locks it) cannot replace the config meanwhile.
      const business = await accessibleBusiness(r, input.access, input.businessId, { lock: "share" });
      if (!business.ok) {
        return business;
      }
      const config = await r.payoutConfigs.findActiveByBusiness(business.value.id, { lock: true });
      if (config === null) {
        return err(notFound("payout config"));
      }
      config.changeLimits({
        ...(input.dailyLimit === undefined ? {} : { daily: input.dailyLimit }),
        ...(input.perPayoutLimit === undefined ? {} : { perPayout: input.perPayoutLimit }),
      });
      await r.payoutConfigs.update(config);
      return ok(config);
    });
  }
}

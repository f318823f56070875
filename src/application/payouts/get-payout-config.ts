import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { PayoutConfig } from "../../domain/payout-config.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/** A business's active payout config, with its limits; `not_found` when it has none. */
export class GetPayoutConfig {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "payoutConfigs"> }) {}

  execute(input: {
    readonly access: Access;
    /** May be left out when the user has exactly one business. */
    readonly businessId?: string;
  }): Promise<Result<PayoutConfig, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.run(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      const config = await r.payoutConfigs.findActiveByBusiness(business.value.id);
      return config === null ? err(notFound("payout config")) : ok(config);
    });
  }
}

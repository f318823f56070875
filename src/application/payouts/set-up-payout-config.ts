import type { InvalidInput } from "../../domain/invalid-value.ts";
import { PayoutConfig } from "../../domain/payout-config.ts";
import { ok, type Result } from "../../domain/result.ts";
import { SECRET_FIELDS, secretBinding } from "../../domain/sealed-secret.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { activateConfig } from "../shared/activate-config.ts";
import type { NotFound } from "../shared/application-errors.ts";
import { ownedBusiness } from "../shared/owned-business.ts";

export type SetUpPayoutConfigInput = {
  readonly userId: string;
  /** May be left out when the user has exactly one business. */
  readonly businessId?: string | null;
  readonly shortcode: unknown;
  readonly initiatorName: unknown;
  readonly initiatorPassword: unknown;
  readonly consumerKey?: unknown;
  readonly consumerSecret?: unknown;
};

/**
 * A business owner sets up (or replaces) how the business pays out by B2C. The initiator password and any
 * consumer secret are sealed, for this business, before they are stored. The business row is locked while its
 * active config is replaced, so two setups at once leave exactly one active; the old config stays, inactive, for
 * history. The business's payout limits carry over to the new config.
 */
export class SetUpPayoutConfig {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"businesses" | "payoutConfigs">;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly secretBox: SecretBox;
    },
  ) {}

  async execute(input: SetUpPayoutConfigInput): Promise<Result<PayoutConfig, InvalidInput | NotFound>> {
    const checked = PayoutConfig.checkSetup(input);
    if (!checked.ok) {
      return checked;
    }
    const { secretBox } = this.deps;
    const { ownApp } = checked.value;
    return this.deps.uow.run(async (r) => {
      const business = await ownedBusiness(r, input.userId, input.businessId ?? undefined, { lock: true });
      if (!business.ok) {
        return business;
      }
      const businessId = business.value.id;
      // Payouts and limit changes share the business row before they lock its config, so none runs while this
      // holds the business: the limits read here are current, and the new config takes them.
      const replaced = await r.payoutConfigs.findActiveByBusiness(businessId);
      // Sealed for this business: the secrets open nowhere else.
      const initiatorPassword = await secretBox.seal(
        checked.value.initiatorPassword,
        secretBinding(businessId, SECRET_FIELDS.initiatorPassword),
      );
      const sealedApp =
        ownApp === null
          ? null
          : {
              consumerKey: ownApp.consumerKey,
              consumerSecret: await secretBox.seal(
                ownApp.consumerSecret,
                secretBinding(businessId, SECRET_FIELDS.payoutConsumerSecret),
              ),
            };
      const created = PayoutConfig.create({
        id: this.deps.ids.next(),
        businessId,
        shortcode: checked.value.shortcode.value,
        initiatorName: checked.value.initiatorName,
        initiatorPassword,
        ownApp: sealedApp,
        ...(replaced === null ? {} : { limits: replaced.limits }),
        createdAt: this.deps.clock.now(),
      });
      if (!created.ok) {
        return created;
      }
      await activateConfig(r.payoutConfigs, businessId, created.value);
      return ok(created.value);
    });
  }
}

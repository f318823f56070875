import type { InitiatorName } from "../../domain/initiator-name.ts";
import type { InitiatorPassword } from "../../domain/initiator-password.ts";
import type { InvalidInput } from "../../domain/invalid-value.ts";
import { PayoutConfig } from "../../domain/payout-config.ts";
import { ok, type Result } from "../../domain/result.ts";
import { SECRET_FIELDS, secretBinding } from "../../domain/sealed-secret.ts";
import type { Shortcode } from "../../domain/shortcode.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import { activateConfig } from "../shared/activate-config.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";

/** A B2C setup as the edge parsed it; `null` is a field left out. */
export type SetUpPayoutConfigCommand = {
  readonly access: Access;
  /** May be left out when the user has exactly one business. */
  readonly businessId?: string | null;
  readonly shortcode: Shortcode;
  readonly initiatorName: InitiatorName;
  readonly initiatorPassword: InitiatorPassword;
  readonly consumerKey: string | null;
  readonly consumerSecret: string | null;
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

  async execute(
    input: SetUpPayoutConfigCommand,
  ): Promise<Result<PayoutConfig, InvalidInput | NotFound | Forbidden>> {
    const paired = PayoutConfig.pairOwnApp(input.consumerKey, input.consumerSecret);
    if (!paired.ok) {
      return paired;
    }
    const { secretBox } = this.deps;
    const ownApp = paired.value;
    return this.deps.uow.run(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId ?? undefined, {
        lock: true,
      });
      if (!business.ok) {
        return business;
      }
      const businessId = business.value.id;
      // Payouts and limit changes share the business row before they lock its config, so none runs while this
      // holds the business: the limits read here are current, and the new config takes them.
      const replaced = await r.payoutConfigs.findActiveByBusiness(businessId);
      // Sealed for this business: the secrets open nowhere else.
      const initiatorPassword = await secretBox.seal(
        input.initiatorPassword.reveal(),
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
        shortcode: input.shortcode,
        initiatorName: input.initiatorName,
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

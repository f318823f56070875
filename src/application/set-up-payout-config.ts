import type { InvalidInput } from "../domain/invalid-value.ts";
import { invalid } from "../domain/invalid-value.ts";
import { PayoutConfig } from "../domain/payout-config.ts";
import { err, ok, type Result } from "../domain/result.ts";
import { type NotFound, notFound } from "./application-errors.ts";
import type { Clock } from "./ports/clock.ts";
import type { IdGenerator } from "./ports/id-generator.ts";
import type { SecretBox } from "./ports/secret-box.ts";
import type { UnitOfWork } from "./ports/unit-of-work.ts";

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
 * consumer secret are sealed before they are stored. The business row is locked while its active config is
 * replaced, so two setups at once leave exactly one active; the old config stays, inactive, for history.
 */
export class SetUpPayoutConfig {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork;
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
    const businessId = await this.businessOf(input);
    if (!businessId.ok) {
      return businessId;
    }
    const { secretBox } = this.deps;
    const { ownApp } = checked.value;
    const created = PayoutConfig.create({
      id: this.deps.ids.next(),
      businessId: businessId.value,
      shortcode: checked.value.shortcode.value,
      initiatorName: checked.value.initiatorName,
      initiatorPassword: await secretBox.seal(checked.value.initiatorPassword),
      ownApp:
        ownApp === null
          ? null
          : { consumerKey: ownApp.consumerKey, consumerSecret: await secretBox.seal(ownApp.consumerSecret) },
      createdAt: this.deps.clock.now(),
    });
    if (!created.ok) {
      return created;
    }
    const config = created.value;
    return this.deps.uow.run(async (r) => {
      const business = await r.businesses.findOwned(config.businessId, input.userId, { lock: true });
      if (business === null) {
        return err(notFound("business"));
      }
      const current = await r.payoutConfigs.findActiveByBusiness(business.id);
      if (current !== null) {
        current.deactivate();
        await r.payoutConfigs.update(current);
      }
      await r.payoutConfigs.add(config);
      return ok(config);
    });
  }

  /** The business named, or the user's only one; ownership is checked when its row is locked. */
  private async businessOf(input: SetUpPayoutConfigInput): Promise<Result<string, InvalidInput>> {
    if (input.businessId !== undefined && input.businessId !== null) {
      return ok(input.businessId);
    }
    const businesses = await this.deps.uow.run((r) => r.businesses.listByOwner(input.userId));
    const only = businesses.length === 1 ? businesses[0] : undefined;
    return only === undefined
      ? err(invalid("businessId", "is required when you have more than one business"))
      : ok(only.id);
  }
}

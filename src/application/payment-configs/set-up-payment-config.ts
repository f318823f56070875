import { type InvalidInput, invalid, mergeInvalid, validateAll } from "../../domain/invalid-value.ts";
import { PaymentConfig } from "../../domain/payment-config.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import { SECRET_FIELDS, secretBinding } from "../../domain/sealed-secret.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { activateConfig } from "../shared/activate-config.ts";
import type { NotFound } from "../shared/application-errors.ts";
import { ownedBusiness } from "../shared/owned-business.ts";

export type SetUpPaymentConfigInput = {
  readonly userId: string;
  readonly businessId?: string;
  readonly paymentMethod: unknown;
  readonly shortcode: unknown;
  readonly passkey: unknown;
  readonly accountReference?: unknown;
  readonly accountName: unknown;
  readonly storeNumber?: unknown;
  readonly consumerKey?: unknown;
  readonly consumerSecret?: unknown;
};

const SECRET_MAX = 512;

function secretText(value: unknown, path: string): Result<string, InvalidInput> {
  if (typeof value !== "string" || value.trim() === "") {
    return err(invalid(path, "is required"));
  }
  return value.length > SECRET_MAX
    ? err(invalid(path, `must be at most ${SECRET_MAX} characters`))
    : ok(value.trim());
}

/**
 * A business registers its Till or Paybill with its Daraja passkey (and optionally its own Daraja app). The
 * secrets are sealed before they are stored, and every broken field is reported at once. The new config replaces the active one in one transaction, with
 * the business row locked, so that concurrent setups end with exactly one active; the old one is kept inactive.
 */
export class SetUpPaymentConfig {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"businesses" | "paymentConfigs">;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly secretBox: SecretBox;
    },
  ) {}

  async execute(input: SetUpPaymentConfigInput): Promise<Result<PaymentConfig, InvalidInput | NotFound>> {
    const absent = (value: unknown) => value === undefined || value === null || value === "";
    const withOwnApp = !absent(input.consumerKey) || !absent(input.consumerSecret);
    const secrets = validateAll({
      passkey: secretText(input.passkey, "passkey"),
      consumerKey: withOwnApp ? secretText(input.consumerKey, "consumerKey") : ok(null),
      consumerSecret: withOwnApp ? secretText(input.consumerSecret, "consumerSecret") : ok(null),
    });

    return this.deps.uow.run(async (r) => {
      const business = await ownedBusiness(r, input.userId, input.businessId, { lock: true });
      if (!business.ok) {
        return business;
      }
      const box = this.deps.secretBox;
      const businessId = business.value.id;
      const created = PaymentConfig.create({
        id: this.deps.ids.next(),
        businessId: business.value.id,
        method: input.paymentMethod,
        shortcode: input.shortcode,
        storeNumber: input.storeNumber,
        accountReference: input.accountReference,
        accountName: input.accountName,
        passkey: await box.seal(
          secrets.ok ? secrets.value.passkey : "",
          secretBinding(businessId, SECRET_FIELDS.passkey),
        ),
        ownApp:
          secrets.ok && secrets.value.consumerKey !== null && secrets.value.consumerSecret !== null
            ? {
                consumerKey: secrets.value.consumerKey,
                consumerSecret: await box.seal(
                  secrets.value.consumerSecret,
                  secretBinding(businessId, SECRET_FIELDS.paymentConsumerSecret),
                ),
              }
            : null,
        createdAt: this.deps.clock.now(),
      });
      if (!created.ok || !secrets.ok) {
        return err(
          mergeInvalid([...(secrets.ok ? [] : [secrets.error]), ...(created.ok ? [] : [created.error])]),
        );
      }
      await activateConfig(r.paymentConfigs, business.value.id, created.value);
      return ok(created.value);
    });
  }
}

import type { AccountName } from "../../domain/account-name.ts";
import type { AccountReference } from "../../domain/account-reference.ts";
import type { DarajaCredential } from "../../domain/daraja-credential.ts";
import type { InitiatorName } from "../../domain/initiator-name.ts";
import type { InitiatorPassword } from "../../domain/initiator-password.ts";
import type { InvalidInput } from "../../domain/invalid-value.ts";
import { PaymentConfig, type PaymentMethod } from "../../domain/payment-config.ts";
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

/** A Till or Paybill as the edge parsed it; `null` is a field left out. */
export type SetUpPaymentConfigCommand = {
  readonly access: Access;
  readonly businessId?: string;
  readonly paymentMethod: PaymentMethod;
  readonly shortcode: Shortcode;
  readonly storeNumber: Shortcode | null;
  readonly accountReference: AccountReference | null;
  readonly accountName: AccountName;
  readonly passkey: DarajaCredential;
  readonly consumerKey: DarajaCredential | null;
  readonly consumerSecret: DarajaCredential | null;
  /** The receiving shortcode's API operator; left out (or null) for none. */
  readonly initiatorName?: InitiatorName | null;
  readonly initiatorPassword?: InitiatorPassword | null;
};

/**
 * A business registers its Till or Paybill with its Daraja passkey (and optionally its own Daraja app). The
 * secrets are sealed before they are stored. The new config replaces the active one in one transaction, with
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

  async execute(
    command: SetUpPaymentConfigCommand,
  ): Promise<Result<PaymentConfig, InvalidInput | NotFound | Forbidden>> {
    const ownApp = PaymentConfig.pairOwnApp(command.consumerKey, command.consumerSecret);
    if (!ownApp.ok) {
      return ownApp;
    }
    const initiator = PaymentConfig.pairInitiator(
      command.initiatorName ?? null,
      command.initiatorPassword ?? null,
    );
    if (!initiator.ok) {
      return initiator;
    }
    return this.deps.uow.run(async (r) => {
      const business = await accessibleBusiness(r, command.access, command.businessId, { lock: true });
      if (!business.ok) {
        return business;
      }
      const box = this.deps.secretBox;
      const businessId = business.value.id;
      const app = ownApp.value;
      const created = PaymentConfig.create({
        id: this.deps.ids.next(),
        businessId,
        method: command.paymentMethod,
        shortcode: command.shortcode,
        storeNumber: command.storeNumber,
        accountReference: command.accountReference,
        accountName: command.accountName,
        passkey: await box.seal(command.passkey.reveal(), secretBinding(businessId, SECRET_FIELDS.passkey)),
        ownApp:
          app === null
            ? null
            : {
                consumerKey: app.consumerKey.reveal(),
                consumerSecret: await box.seal(
                  app.consumerSecret.reveal(),
                  secretBinding(businessId, SECRET_FIELDS.paymentConsumerSecret),
                ),
              },
        initiator:
          initiator.value === null
            ? null
            : {
                name: initiator.value.name.value,
                password: await box.seal(
                  initiator.value.password.reveal(),
                  secretBinding(businessId, SECRET_FIELDS.paymentInitiatorPassword),
                ),
              },
        createdAt: this.deps.clock.now(),
      });
      if (!created.ok) {
        return created;
      }
      await activateConfig(r.paymentConfigs, businessId, created.value);
      return ok(created.value);
    });
  }
}

import {
  C2bRegistration,
  type C2bResponseType,
  type C2bValidationRules,
} from "../../domain/c2b-registration.ts";
import { type InvalidInput, invalid } from "../../domain/invalid-value.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import { SECRET_FIELDS, secretBinding } from "../../domain/sealed-secret.ts";
import { C2B_SHORTCODE_UNIQUE } from "../ports/c2b-registration-repository.ts";
import type { CallbackSecrets } from "../ports/callback-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { GatewayFailure, PaymentGateway } from "../ports/payment-gateway.ts";
import { UniqueViolation } from "../ports/repository-errors.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";
import type { PaymentConfigMissing } from "../shared/business-push.ts";
import { C2B_CONFIRMATION_PATH, C2B_VALIDATION_PATH } from "./c2b-urls.ts";

/** Words Daraja refuses anywhere in a C2B URL. */
export const C2B_REFUSED_WORDS = [
  "mpesa",
  "m-pesa",
  "safaricom",
  "exe",
  "exec",
  "cmd",
  "sql",
  "query",
] as const;

/** Another business registered this shortcode's URLs. */
export type ShortcodeTaken = { readonly type: "shortcode_taken"; readonly shortcode: string };
/** Only a config that took a payment may register. */
export type C2bConfigUnverified = { readonly type: "payment_config_unverified" };
/** Daraja did not do what was asked (refused, or could not be reached, or its answer did not say). Moves no money. */
export type C2bGatewayFailed = { readonly type: "c2b_gateway_failed"; readonly failure: GatewayFailure };

export type RegisterC2bUrlsError =
  | NotFound
  | Forbidden
  | InvalidInput
  | PaymentConfigMissing
  | C2bConfigUnverified
  | ShortcodeTaken
  | C2bGatewayFailed;

export type RegisterC2bUrlsCommand = {
  readonly access: Access;
  readonly businessId: string;
  readonly responseType: C2bResponseType;
  readonly validation: C2bValidationRules;
};

const mask = (url: string, token: string) => url.replace(token, `****${token.slice(-4)}`);

/**
 * Registers the business's confirmation and validation URLs with Daraja's C2B Register URL (v2), for its active,
 * verified config: the paybill, or a till's store number. The URLs sit on the origin of MPESA_CALLBACK_URL and
 * carry a fresh random token in hex, stored only as a hash and shown masked. A shortcode belongs to the first
 * business that registered it. No transaction is open during the call; the registration is saved only once
 * Daraja took it, replacing the business's earlier one (whose token stops working).
 */
export class RegisterC2bUrls {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"businesses" | "paymentConfigs" | "c2bRegistrations">;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly gateway: PaymentGateway;
      readonly secretBox: SecretBox;
      readonly callbackSecrets: CallbackSecrets;
      readonly callbackUrl: string;
    },
  ) {}

  async execute(input: RegisterC2bUrlsCommand): Promise<Result<C2bRegistration, RegisterC2bUrlsError>> {
    const origin = new URL(this.deps.callbackUrl).origin;
    const refused = C2B_REFUSED_WORDS.find((word) => origin.toLowerCase().includes(word));
    if (refused !== undefined) {
      return err(
        invalid(
          "MPESA_CALLBACK_URL",
          `its origin ${origin} contains "${refused}", which Daraja refuses in C2B URLs: serve PayMe under a host name without it`,
        ),
      );
    }
    const prepared = await this.deps.uow.read(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      const config = await r.paymentConfigs.findActiveByBusiness(business.value.id);
      if (config === null) {
        return err({ type: "payment_config_missing" as const });
      }
      if (!config.verified) {
        return err({ type: "payment_config_unverified" as const });
      }
      const shortcode = config.businessShortCode.value;
      const holder = await r.c2bRegistrations.findByShortcode(shortcode);
      if (holder !== null && holder.businessId !== business.value.id) {
        return err({ type: "shortcode_taken" as const, shortcode });
      }
      const app =
        config.ownApp === null
          ? null
          : {
              consumerKey: config.ownApp.consumerKey,
              consumerSecret: await this.deps.secretBox.open(
                config.ownApp.consumerSecret,
                secretBinding(config.businessId, SECRET_FIELDS.paymentConsumerSecret),
              ),
            };
      return ok({ businessId: business.value.id, shortcode, app });
    });
    if (!prepared.ok) {
      return prepared;
    }
    const { businessId, shortcode, app } = prepared.value;
    const secret = this.deps.callbackSecrets.issueHex();
    const confirmationUrl = `${origin}${C2B_CONFIRMATION_PATH}/${secret.token}`;
    const validationUrl = `${origin}${C2B_VALIDATION_PATH}/${secret.token}`;
    const registered = await this.deps.gateway.registerC2bUrls({
      app,
      shortcode,
      responseType: input.responseType,
      confirmationUrl,
      validationUrl,
    });
    if (!registered.ok) {
      return err({ type: "c2b_gateway_failed", failure: registered.error });
    }
    const registration = C2bRegistration.create({
      id: this.deps.ids.next(),
      businessId,
      shortcode,
      tokenHash: secret.hash,
      tokenHint: secret.token.slice(-4),
      responseType: input.responseType,
      validation: input.validation,
      confirmationUrl: mask(confirmationUrl, secret.token),
      validationUrl: mask(validationUrl, secret.token),
      darajaResponse: registered.value.response,
      registeredAt: this.deps.clock.now(),
    });
    try {
      await this.deps.uow.run((r) => r.c2bRegistrations.save(registration));
    } catch (error) {
      if (error instanceof UniqueViolation && error.constraint === C2B_SHORTCODE_UNIQUE) {
        return err({ type: "shortcode_taken", shortcode });
      }
      throw error;
    }
    return ok(registration);
  }
}

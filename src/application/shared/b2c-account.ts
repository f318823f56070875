import type { PayoutConfig } from "../../domain/payout-config.ts";
import { SECRET_FIELDS, secretBinding } from "../../domain/sealed-secret.ts";
import type { B2cAccount } from "../ports/payment-gateway.ts";
import type { SecretBox } from "../ports/secret-box.ts";

/**
 * The B2C account a payout config describes, with its secrets opened for one request: the initiator password
 * (which the gateway turns into a SecurityCredential) and, for a business on its own Daraja app, the consumer
 * secret. The result must not outlive the request, nor reach a log.
 */
export async function b2cAccountFor(config: PayoutConfig, secretBox: SecretBox): Promise<B2cAccount> {
  return {
    app:
      config.ownApp === null
        ? null
        : {
            consumerKey: config.ownApp.consumerKey,
            consumerSecret: await secretBox.open(
              config.ownApp.consumerSecret,
              secretBinding(config.businessId, SECRET_FIELDS.payoutConsumerSecret),
            ),
          },
    shortcode: config.shortcode.value,
    initiatorName: config.initiatorName,
    initiatorPassword: await secretBox.open(
      config.initiatorPassword,
      secretBinding(config.businessId, SECRET_FIELDS.initiatorPassword),
    ),
  };
}

/** The business has no active payout config: nothing to pay out from. */
export type PayoutConfigMissing = { readonly type: "payout_config_missing" };

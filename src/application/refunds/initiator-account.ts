import type { PaymentConfig } from "../../domain/payment-config.ts";
import {
  SECRET_FIELDS,
  type SealedSecret,
  type SecretField,
  secretBinding,
} from "../../domain/sealed-secret.ts";
import type { B2cAccount } from "../ports/payment-gateway.ts";
import type { SecretBox } from "../ports/secret-box.ts";

/**
 * The account of a payment config's initiator (the API operator of the shortcode that received the money), with
 * its secrets opened for one request, or null when the config has none. It acts on the paybill, or a till's
 * store number. The result must not outlive the request, nor reach a log.
 */
export async function initiatorAccountFor(
  config: PaymentConfig,
  secretBox: SecretBox,
): Promise<B2cAccount | null> {
  const initiator = config.initiator;
  if (initiator === null) {
    return null;
  }
  const open = (sealed: SealedSecret, field: SecretField) =>
    secretBox.open(sealed, secretBinding(config.businessId, field));
  return {
    app:
      config.ownApp === null
        ? null
        : {
            consumerKey: config.ownApp.consumerKey,
            consumerSecret: await open(config.ownApp.consumerSecret, SECRET_FIELDS.paymentConsumerSecret),
          },
    shortcode: config.businessShortCode.value,
    initiatorName: initiator.name,
    initiatorPassword: await open(initiator.password, SECRET_FIELDS.paymentInitiatorPassword),
  };
}

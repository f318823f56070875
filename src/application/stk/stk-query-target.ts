import { SECRET_FIELDS, secretBinding } from "../../domain/sealed-secret.ts";
import type { DarajaApp, StkQueryRequest } from "../ports/payment-gateway.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { Repositories } from "../ports/unit-of-work.ts";

/**
 * The STK Query for a payment pushed through a business's payment config: through the same config (its shortcode,
 * passkey and own Daraja app). Null when the config is gone.
 */
export async function configQueryTarget(
  r: Pick<Repositories, "paymentConfigs">,
  secretBox: SecretBox,
  paymentConfigId: string,
  checkoutRequestId: string,
): Promise<StkQueryRequest | null> {
  const config = await r.paymentConfigs.findById(paymentConfigId);
  if (config === null) {
    return null;
  }
  const app: DarajaApp | null =
    config.ownApp === null
      ? null
      : {
          consumerKey: config.ownApp.consumerKey,
          consumerSecret: await secretBox.open(
            config.ownApp.consumerSecret,
            secretBinding(config.businessId, SECRET_FIELDS.paymentConsumerSecret),
          ),
        };
  return {
    app,
    businessShortCode: config.businessShortCode.value,
    passkey: await secretBox.open(config.passkey, secretBinding(config.businessId, SECRET_FIELDS.passkey)),
    checkoutRequestId,
  };
}

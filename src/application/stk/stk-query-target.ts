import { SECRET_FIELDS, secretBinding } from "../../domain/sealed-secret.ts";
import type { DarajaApp, StkQueryRequest } from "../ports/payment-gateway.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import type { WalletPaybill } from "../shared/wallet-paybill.ts";
import type { LocatedPayment } from "./stk-settlement.ts";

/**
 * The STK Query that asks Daraja about a payment: through the wallet paybill for a wallet purchase, through the
 * business's config (its shortcode, passkey and own Daraja app) for a sale. Null when it cannot be asked: no
 * CheckoutRequestID yet, or no passkey for it.
 */
export async function stkQueryFor(
  r: Pick<Repositories, "paymentConfigs">,
  located: LocatedPayment,
  deps: { readonly wallet: WalletPaybill; readonly secretBox: SecretBox },
): Promise<StkQueryRequest | null> {
  const checkoutRequestId = located.payment.checkoutRequestId;
  if (checkoutRequestId === null) {
    return null;
  }
  if (located.kind === "wallet_purchase") {
    const { passkey, shortcode } = deps.wallet;
    return passkey === null ? null : { app: null, businessShortCode: shortcode, passkey, checkoutRequestId };
  }
  // A sale or a verification went through a business's config: ask through the same one.
  const config = await r.paymentConfigs.findById(located.payment.paymentConfigId);
  if (config === null) {
    return null;
  }
  const app: DarajaApp | null =
    config.ownApp === null
      ? null
      : {
          consumerKey: config.ownApp.consumerKey,
          consumerSecret: await deps.secretBox.open(
            config.ownApp.consumerSecret,
            secretBinding(config.businessId, SECRET_FIELDS.paymentConsumerSecret),
          ),
        };
  return {
    app,
    businessShortCode: config.businessShortCode.value,
    passkey: await deps.secretBox.open(
      config.passkey,
      secretBinding(config.businessId, SECRET_FIELDS.passkey),
    ),
    checkoutRequestId,
  };
}

import type { Business } from "../../domain/business.ts";
import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { Kes } from "../../domain/kes.ts";
import type { Msisdn } from "../../domain/msisdn.ts";
import type { PaymentConfig } from "../../domain/payment-config.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import { SECRET_FIELDS, secretBinding } from "../../domain/sealed-secret.ts";
import type { StkPushRequest } from "../ports/payment-gateway.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "./accessible-business.ts";
import type { Access } from "./actor.ts";
import type { NotFound } from "./application-errors.ts";
import type { Forbidden } from "./authorize.ts";

/** The business has not registered a Till or Paybill yet, so nothing can be charged through it. */
export type PaymentConfigMissing = { readonly type: "payment_config_missing" };

/** The caller's business (see `accessibleBusiness`) with the active payment config it charges through. */
export async function chargingBusiness(
  r: Pick<Repositories, "businesses" | "paymentConfigs">,
  access: Access,
  businessId: string | undefined,
): Promise<
  Result<
    { business: Business; config: PaymentConfig },
    NotFound | Forbidden | InvalidInput | PaymentConfigMissing
  >
> {
  const business = await accessibleBusiness(r, access, businessId);
  if (!business.ok) {
    return business;
  }
  const config = await r.paymentConfigs.findActiveByBusiness(business.value.id);
  return config === null ? err({ type: "payment_config_missing" }) : ok({ business: business.value, config });
}

/**
 * An STK push through a business's own config: its transaction type, BusinessShortCode (the store number for a
 * till), PartyB, account reference (for a till without one: the business name's first 12 letters and digits),
 * passkey and, if it has one, its own Daraja app. The secrets are opened here, just before the call.
 */
export async function businessPush(
  config: PaymentConfig,
  business: Business,
  secretBox: SecretBox,
  payment: {
    readonly phone: Msisdn;
    readonly amount: Kes;
    readonly description: string;
    readonly callbackUrl: string;
  },
): Promise<Result<StkPushRequest, InvalidInput>> {
  const accountReference = config.accountReferenceFor(business.name);
  if (!accountReference.ok) {
    return accountReference;
  }
  return ok({
    app:
      config.ownApp === null
        ? null
        : {
            consumerKey: config.ownApp.consumerKey,
            consumerSecret: await secretBox.open(
              config.ownApp.consumerSecret,
              secretBinding(config.businessId, SECRET_FIELDS.paymentConsumerSecret),
            ),
          },
    transactionType: config.transactionType,
    businessShortCode: config.businessShortCode.value,
    passkey: await secretBox.open(config.passkey, secretBinding(config.businessId, SECRET_FIELDS.passkey)),
    partyB: config.partyB.value,
    phone: payment.phone,
    amount: payment.amount,
    accountReference: accountReference.value.value,
    description: payment.description,
    callbackUrl: payment.callbackUrl,
  });
}

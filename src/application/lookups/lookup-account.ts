import type { InvalidInput } from "../../domain/invalid-value.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import { SECRET_FIELDS, type SecretField, secretBinding } from "../../domain/sealed-secret.ts";
import type { B2cAccount } from "../ports/payment-gateway.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";
import type { PaymentConfigMissing } from "../shared/business-push.ts";
import type { InitiatorMissing } from "./lookup-errors.ts";

/**
 * The business's own shortcode and the initiator of its payment config, to ask Daraja about that shortcode: an
 * operator can act only on its own shortcode. For a till this is its store (head-office) number, the
 * organisation the initiator belongs to. The secrets are opened here, just before the call.
 */
export async function lookupAccount(
  r: Pick<Repositories, "businesses" | "paymentConfigs">,
  secretBox: SecretBox,
  access: Access,
  businessId: string,
): Promise<
  Result<
    { readonly businessId: string; readonly account: B2cAccount },
    NotFound | Forbidden | InvalidInput | PaymentConfigMissing | InitiatorMissing
  >
> {
  const business = await accessibleBusiness(r, access, businessId);
  if (!business.ok) {
    return business;
  }
  const config = await r.paymentConfigs.findActiveByBusiness(business.value.id);
  if (config === null) {
    return err({ type: "payment_config_missing" });
  }
  if (config.initiator === null) {
    return err({ type: "initiator_missing" });
  }
  const open = (field: SecretField) => secretBinding(config.businessId, field);
  return ok({
    businessId: business.value.id,
    account: {
      app:
        config.ownApp === null
          ? null
          : {
              consumerKey: config.ownApp.consumerKey,
              consumerSecret: await secretBox.open(
                config.ownApp.consumerSecret,
                open(SECRET_FIELDS.paymentConsumerSecret),
              ),
            },
      shortcode: config.businessShortCode.value,
      initiatorName: config.initiator.name,
      initiatorPassword: await secretBox.open(
        config.initiator.password,
        open(SECRET_FIELDS.paymentInitiatorPassword),
      ),
    },
  });
}

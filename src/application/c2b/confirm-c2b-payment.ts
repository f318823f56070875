import {
  SECRET_FIELDS,
  type SealedSecret,
  type SecretField,
  secretBinding,
} from "../../domain/sealed-secret.ts";
import type { CallbackSecrets } from "../ports/callback-secrets.ts";
import { isAmbiguous, type PaymentGateway, type TransactionStatusRequest } from "../ports/payment-gateway.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { C2B_STATUS_RESULT_PATH, C2B_STATUS_TIMEOUT_PATH, c2bUrl } from "./c2b-urls.ts";

/**
 * Asks Daraja's Transaction Status about the receipt of an untrusted C2B confirmation (see ReceiveC2bConfirmation),
 * with the initiator of the business's config, on the shortcode it registered. The answer comes to the check's own
 * result URL (ReceiveC2bStatusResult). A definite refusal leaves the confirmation unconfirmed; an unclear answer
 * leaves the check pending, since its result may still come. No transaction is open during the call.
 */
export class ConfirmC2bPayment {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork;
      readonly gateway: PaymentGateway;
      readonly secretBox: SecretBox;
      readonly callbackSecrets: CallbackSecrets;
      readonly callbackUrl: string;
    },
  ) {}

  async execute(input: { readonly token: string }): Promise<void> {
    const request = await this.deps.uow.read(async (r): Promise<TransactionStatusRequest | null> => {
      const check = await r.c2bChecks.findByTokenHash(this.deps.callbackSecrets.hashOf(input.token));
      if (check === null || check.status !== "pending") {
        return null;
      }
      const registration = await r.c2bRegistrations.findByBusiness(check.businessId);
      const config = await r.paymentConfigs.findActiveByBusiness(check.businessId);
      if (registration === null || config === null || config.initiator === null) {
        return null;
      }
      const open = (sealed: SealedSecret, field: SecretField) =>
        this.deps.secretBox.open(sealed, secretBinding(check.businessId, field));
      return {
        account: {
          app:
            config.ownApp === null
              ? null
              : {
                  consumerKey: config.ownApp.consumerKey,
                  consumerSecret: await open(
                    config.ownApp.consumerSecret,
                    SECRET_FIELDS.paymentConsumerSecret,
                  ),
                },
          shortcode: registration.shortcode,
          initiatorName: config.initiator.name,
          initiatorPassword: await open(config.initiator.password, SECRET_FIELDS.paymentInitiatorPassword),
        },
        originatorConversationId: check.id,
        transactionId: check.notification.receipt,
        resultUrl: c2bUrl(this.deps.callbackUrl, C2B_STATUS_RESULT_PATH, input.token),
        queueTimeoutUrl: c2bUrl(this.deps.callbackUrl, C2B_STATUS_TIMEOUT_PATH, input.token),
      };
    });
    if (request === null) {
      return;
    }
    const asked = await this.deps.gateway.transactionStatus(request);
    if (!asked.ok && !isAmbiguous(asked.error)) {
      await this.deps.uow.run(async (r) => {
        const check = await r.c2bChecks.findByTokenHash(this.deps.callbackSecrets.hashOf(input.token), {
          lock: true,
        });
        if (check?.status === "pending") {
          await r.c2bChecks.settle(check.id, "unconfirmed");
          await r.callbackAudit.updateDisposition(check.auditRecordId, "unconfirmed", null);
        }
      });
    }
  }
}

import type { ConfigVerification } from "../../domain/config-verification.ts";
import type { PaymentConfig } from "../../domain/payment-config.ts";
import { stkPaymentView } from "./stk-payment-view.ts";

/**
 * The payment config JSON, shared: its API (payment-configs/) and the `payment_config.verified` event, which a
 * paid sale or a paid verification push raises, both show it.
 */

/** A verification attempt as a page can poll it. */
export const verificationView = (verification: ConfigVerification) => ({
  ...stkPaymentView(verification),
  paymentConfigId: verification.paymentConfigId,
});

/** A payment config. The passkey and the consumer secret are never shown, in any form. */
export const paymentConfigView = ({
  config,
  lastVerification,
}: {
  readonly config: PaymentConfig;
  readonly lastVerification: ConfigVerification | null;
}) => ({
  id: config.id,
  businessId: config.businessId,
  paymentMethod: config.method,
  shortcode: config.shortcode.value,
  storeNumber: config.storeNumber.value,
  accountReference: config.accountReference?.value ?? null,
  accountName: config.accountName,
  hasOwnDarajaApp: config.ownApp !== null,
  hasInitiator: config.initiator !== null,
  verified: config.verified,
  isActive: config.active,
  createdAt: config.createdAt.toISOString(),
  lastVerification: lastVerification === null ? null : verificationView(lastVerification),
});

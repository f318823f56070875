import type { ConfigVerification } from "../../domain/config-verification.ts";
import { stkPaymentView } from "../shared/stk-payment-view.ts";
import type { ConfigWithVerification } from "./get-payment-config.ts";

/** A verification attempt as a page can poll it. */
export const verificationView = (verification: ConfigVerification) => ({
  ...stkPaymentView(verification),
  paymentConfigId: verification.paymentConfigId,
});

/** A payment config. The passkey and the consumer secret are never shown, in any form. */
export const paymentConfigView = ({ config, lastVerification }: ConfigWithVerification) => ({
  id: config.id,
  businessId: config.businessId,
  paymentMethod: config.method,
  shortcode: config.shortcode.value,
  storeNumber: config.storeNumber.value,
  accountReference: config.accountReference?.value ?? null,
  accountName: config.accountName,
  hasOwnDarajaApp: config.ownApp !== null,
  verified: config.verified,
  isActive: config.active,
  createdAt: config.createdAt.toISOString(),
  lastVerification: lastVerification === null ? null : verificationView(lastVerification),
});

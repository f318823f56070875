import type { ConfigVerification } from "../../domain/config-verification.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import { type StkPaymentKind, stkPaymentKind } from "../stk/stk-payment-kind.ts";
import { configQueryTarget } from "../stk/stk-query-target.ts";

/** Verification pushes as the payment seam settles them: a paid one verifies its config. */
export function configVerificationKind(deps: { readonly secretBox: SecretBox }): StkPaymentKind {
  return stkPaymentKind<ConfigVerification>({
    kind: "config_verification",
    store: (r) => r.configVerifications,
    saveChange: async (r, verification, change) => {
      await r.configVerifications.update(verification);
      if (change === "paid") {
        await r.paymentConfigs.markVerified(verification.paymentConfigId);
      }
    },
    queryTarget: (r, verification, checkoutRequestId) =>
      configQueryTarget(r, deps.secretBox, verification.paymentConfigId, checkoutRequestId),
  });
}

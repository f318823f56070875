import { ConfigVerification } from "../../domain/config-verification.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import { verifyConfig } from "../shared/record-event.ts";
import { type StkPaymentKind, stkPaymentKind } from "../stk/stk-payment-kind.ts";
import { configQueryTarget } from "../stk/stk-query-target.ts";

/** Verification pushes as the payment seam settles them: a paid one verifies its config. */
export function configVerificationKind(deps: { readonly secretBox: SecretBox }): StkPaymentKind {
  return stkPaymentKind<ConfigVerification>({
    kind: "config_verification",
    owns: (payment) => payment instanceof ConfigVerification,
    store: (r) => r.configVerifications,
    saveChange: async (r, verification, change, context) => {
      await r.configVerifications.update(verification);
      if (change === "paid") {
        await verifyConfig(r, verification.paymentConfigId, context);
      }
    },
    queryTarget: (r, verification, checkoutRequestId) =>
      configQueryTarget(r, deps.secretBox, verification.paymentConfigId, checkoutRequestId),
  });
}

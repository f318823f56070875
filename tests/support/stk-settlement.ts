import { configVerificationKind } from "../../src/application/payment-configs/config-verification-kind.ts";
import type { CallbackSecrets } from "../../src/application/ports/callback-secrets.ts";
import type { Clock } from "../../src/application/ports/clock.ts";
import type { IdGenerator } from "../../src/application/ports/id-generator.ts";
import { noPaymentMetrics } from "../../src/application/ports/payment-metrics.ts";
import type { SecretBox } from "../../src/application/ports/secret-box.ts";
import type { SettlementUnitOfWork, UnitOfWork } from "../../src/application/ports/unit-of-work.ts";
import { saleKind } from "../../src/application/sales/sale-kind.ts";
import { ReceiveStkCallback } from "../../src/application/stk/receive-stk-callback.ts";
import { StkPaymentKinds } from "../../src/application/stk/stk-payment-kinds.ts";
import { walletPurchaseKind } from "../../src/application/wallet/wallet-purchase-kind.ts";

/** A secret box that fails the test if a settlement ever seals or opens a secret (it has no reason to). */
export const settlingSecretBox: SecretBox = {
  seal: () => Promise.reject(new Error("no secret is sealed while settling")),
  open: () => Promise.reject(new Error("no secret is opened while settling")),
  isStale: () => false,
};

/** The payment kinds a callback can settle, as the composition root registers them (wallet paybill 174379). */
export function stkKinds(secretBox: SecretBox = settlingSecretBox): StkPaymentKinds {
  return new StkPaymentKinds([
    walletPurchaseKind({
      wallet: { shortcode: "174379", accountReference: "PayMe", passkey: null, tokensPerKes: 1 },
    }),
    saleKind({ secretBox }),
    configVerificationKind({ secretBox }),
  ]);
}

/** The STK callback receiver over every payment kind, grouped by `settlements` when given. */
export function stkReceiver(deps: {
  readonly uow: UnitOfWork;
  readonly settlements?: SettlementUnitOfWork;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly callbackSecrets: CallbackSecrets;
}): ReceiveStkCallback {
  return new ReceiveStkCallback({ ...deps, metrics: noPaymentMetrics, stkKinds: stkKinds() });
}

import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { Kes } from "../../domain/kes.ts";
import type { Msisdn } from "../../domain/msisdn.ts";
import { err, type Result } from "../../domain/result.ts";
import { WalletPurchase } from "../../domain/wallet-purchase.ts";
import type { CallbackSecrets } from "../ports/callback-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { PaymentGateway } from "../ports/payment-gateway.ts";
import type { PaymentMetrics } from "../ports/payment-metrics.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { callbackUrlFor } from "../shared/callback-url.ts";
import { admitPush, type PushLimits, type PushRateLimited } from "../shared/push-limits.ts";
import { type PushRefused, pushAndRecord } from "../shared/record-push-answer.ts";
import type { WalletPaybill } from "../shared/wallet-paybill.ts";

/** Daraja refused the push at once: the purchase is stored failed, and the caller is told why. */
export type WalletUnavailable = { readonly type: "wallet_unavailable" };

const DESCRIPTION = "PayMe tokens";

/** A purchase of tokens, its values already parsed: `amount` is one STK push's worth (Kes.forPush). */
export type WalletPurchaseCommand = {
  readonly userId: string;
  readonly phone: Msisdn;
  readonly amount: Kes;
};

/**
 * A user buys wallet tokens by STK push to PayMe's paybill. The purchase is recorded `pending`, with its callback
 * token, before Daraja is called; no transaction is open during the call. A push whose outcome is unknown (a
 * timeout) stays pending: its callback or a query settles it.
 */
export class InitiateWalletPurchase {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"pushLog" | "walletPurchases">;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly gateway: PaymentGateway;
      readonly callbackSecrets: CallbackSecrets;
      readonly wallet: WalletPaybill;
      /** MPESA_CALLBACK_URL: the STK callback receiver's public URL. */
      readonly callbackUrl: string;
      readonly metrics: PaymentMetrics;
      readonly pushLimits: PushLimits;
    },
  ) {}

  async execute(
    input: WalletPurchaseCommand,
  ): Promise<Result<WalletPurchase, InvalidInput | PushRateLimited | PushRefused | WalletUnavailable>> {
    const { passkey, shortcode, accountReference, tokensPerKes } = this.deps.wallet;
    if (passkey === null) {
      return err({ type: "wallet_unavailable" });
    }
    const secret = this.deps.callbackSecrets.issue();
    const created = WalletPurchase.create({
      id: this.deps.ids.next(),
      userId: input.userId,
      amount: input.amount,
      phone: input.phone,
      tokensPerKes,
      callbackTokenHash: secret.hash,
      createdAt: this.deps.clock.now(),
    });
    if (!created.ok) {
      return created;
    }
    const purchase = created.value;
    const admitted = await this.deps.uow.run(async (r) => {
      const admission = await admitPush(r, this.deps, {
        kind: "wallet",
        userId: input.userId,
        phone: purchase.phone,
      });
      if (admission.ok) {
        await r.walletPurchases.add(purchase);
      }
      return admission;
    });
    if (!admitted.ok) {
      return admitted;
    }

    return pushAndRecord(this.deps, {
      kind: "wallet_purchase",
      payment: purchase,
      store: (r) => r.walletPurchases,
      push: {
        app: null,
        transactionType: "CustomerPayBillOnline",
        businessShortCode: shortcode,
        passkey,
        partyB: shortcode,
        phone: purchase.phone,
        amount: purchase.amount,
        accountReference,
        description: DESCRIPTION,
        callbackUrl: callbackUrlFor(this.deps.callbackUrl, secret.token),
      },
    });
  }
}

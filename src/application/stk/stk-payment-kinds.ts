import type { PaymentKind } from "../ports/payment-metrics.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import type { KindPayment, StkPaymentKind } from "./stk-payment-kind.ts";

/** How a callback or a query names a payment: the token in its CallBackURL (hashed), or its CheckoutRequestID. */
export type PaymentKey = { readonly tokenHash: string } | { readonly checkoutRequestId: string };

/**
 * Every kind of STK payment registered at the composition root. Finds a payment by what Daraja sends back: one
 * locator read finds the payment, whatever its kind, and its kind takes it from there.
 */
export class StkPaymentKinds {
  private readonly byKind: ReadonlyMap<PaymentKind, StkPaymentKind>;

  constructor(readonly all: readonly StkPaymentKind[]) {
    this.byKind = new Map(all.map((kind) => [kind.kind, kind]));
    if (this.byKind.size !== all.length) {
      throw new Error("two STK payment kinds share a name");
    }
  }

  /**
   * A payment found some other way (a sale by its reference, say) bound to what its kind does, so that the seam
   * settles it as it would after a callback.
   */
  adopt(kind: PaymentKind, payment: KindPayment["payment"]): KindPayment {
    const registered = this.byKind.get(kind);
    if (registered === undefined) {
      throw new Error(`no STK payment kind "${kind}" is registered`);
    }
    return registered.adopt(payment);
  }

  /**
   * The payment a callback token or CheckoutRequestID belongs to, whatever its kind. With `lock`, its row stays
   * locked until the transaction ends, so that concurrent deliveries apply one after another.
   */
  async locate(
    r: Repositories,
    key: PaymentKey,
    options: { readonly lock: boolean },
  ): Promise<KindPayment | null> {
    const found =
      "tokenHash" in key
        ? await r.paymentLocators.findPayment("callback_token", key.tokenHash, options)
        : await r.paymentLocators.findPayment("checkout_request_id", key.checkoutRequestId, options);
    if (found === null) {
      return null;
    }
    const kind = this.byKind.get(found.kind);
    if (kind === undefined) {
      throw new Error(`no STK payment kind "${found.kind}" is registered`);
    }
    return kind.adopt(found.payment);
  }
}

import type { StkPayment } from "../../domain/stk-payment.ts";
import type { PaymentKind } from "./payment-metrics.ts";

/**
 * How Daraja names a payment in what it sends back: the secret token in the payment's CallBackURL (by its hash),
 * or the CheckoutRequestID it gave the push. (B2C conversation ids, C2B receipts and reversals would be channels
 * of their own.)
 */
export type LocatorChannel = "callback_token" | "checkout_request_id";

/** The payment a channel's key belongs to. */
export type LocatedRecord = { readonly kind: PaymentKind; readonly paymentId: string };

/** A payment found through the locator, as its kind's store would have read it. */
export type LocatedPayment = { readonly kind: PaymentKind; readonly payment: StkPayment };

/**
 * One lookup table over every Daraja-originated payment, whatever its kind. The payment repositories write it
 * in the transaction that adds the payment or records its CheckoutRequestID; a key names one payment at most.
 */
export interface PaymentLocatorRepository {
  /** The payment `key` names on `channel`, in one indexed read; null when no payment has that key. */
  find(channel: LocatorChannel, key: string): Promise<LocatedRecord | null>;
  /**
   * The payment itself, whatever its kind, read together with its locator row in one statement (a callback's
   * settlement pays one round trip to find it, not two). With `lock`, the payment's row stays locked until the
   * transaction ends. Null when no payment has that key, or its kind has no store here.
   */
  findPayment(
    channel: LocatorChannel,
    key: string,
    options: { readonly lock: boolean },
  ): Promise<LocatedPayment | null>;
}

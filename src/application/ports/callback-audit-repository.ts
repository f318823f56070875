/** How far a received callback got. */
export type CallbackDisposition =
  /** Trusted, and it moved its payment (or filled in a receipt). */
  | "applied"
  /** Trusted, but the state table allowed nothing more (a duplicate, a late or final payment). */
  | "no_change"
  /** Trusted, but the amount or the phone differed: the payment is flagged for a person. */
  | "flagged"
  /** Not trusted as it stands: waiting for an STK Query to confirm it. */
  | "awaiting_confirmation"
  /** Not trusted, and the STK Query confirmed it: applied. */
  | "confirmed"
  /** Not trusted, and the STK Query did not say the same (or could not be asked). */
  | "unconfirmed"
  /** No payment of ours has that token or CheckoutRequestID. */
  | "unknown_payment"
  /** Not a notification PayMe can take (missing or malformed fields): kept for audit, never applied. */
  | "invalid";

/** One callback as it arrived, kept for audit. */
export type CallbackRecord = {
  readonly id: string;
  readonly receivedAt: Date;
  readonly kind:
    | "stk_callback"
    | "b2c_result"
    | "b2c_queue_timeout"
    | "status_result"
    | "status_timeout"
    | "c2b_confirmation"
    | "c2b_validation"
    | "c2b_status_result"
    | "balance_result"
    | "balance_timeout"
    | "reversal_result"
    | "reversal_timeout";
  /** The request path with any token masked. */
  readonly path: string;
  /** Whether the URL carried the right per-payment token. */
  readonly trusted: boolean;
  readonly checkoutRequestId: string | null;
  /** The payment it concerned, when found: `wallet_purchase:<id>`, `sale:<id>`, … */
  readonly paymentRef: string | null;
  readonly disposition: CallbackDisposition;
  /** The JSON exactly as received. */
  readonly body: unknown;
};

/** Every callback received, trusted or not, with what became of it. */
export interface CallbackAuditRepository {
  record(entry: CallbackRecord): Promise<void>;
  /** Changes what became of a callback (an untrusted one, once its query has answered). */
  updateDisposition(id: string, disposition: CallbackDisposition, paymentRef: string | null): Promise<void>;
  findById(id: string): Promise<CallbackRecord | null>;
  /** The callbacks about one payment, oldest first. */
  listByPayment(paymentRef: string): Promise<CallbackRecord[]>;
  /**
   * Deletes at most `limit` records received before `cutoff`, oldest first, and answers how many it deleted.
   * Records another transaction holds are skipped, so that instances purging at once never wait for each other.
   */
  purgeReceivedBefore(cutoff: Date, limit: number): Promise<number>;
}

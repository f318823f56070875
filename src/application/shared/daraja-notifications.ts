/**
 * What Safaricom tells PayMe asynchronously, once the Daraja adapter has parsed and checked the raw JSON.
 * Values are kept as Daraja sent them (ResultCode as a string); the use cases decide what they mean.
 */

/** An STK push result (Body.stkCallback). The metadata fields are present only on success, and may be missing then too. */
export type StkCallback = {
  readonly merchantRequestId: string | null;
  readonly checkoutRequestId: string;
  readonly resultCode: string;
  readonly resultDesc: string;
  /** Whole shillings as paid (Daraja may send 1 or 1.00). */
  readonly amount: number | null;
  readonly mpesaReceipt: string | null;
  /** The paying MSISDN as Daraja sent it, digits only. */
  readonly phone: string | null;
  /** TransactionDate, yyyyMMddHHmmss in Nairobi time, as sent. */
  readonly transactionDate: string | null;
};

/** A B2C or Transaction Status result (the `Result` object), with its ResultParameters indexed by key. */
export type B2cResult = {
  readonly resultType: number | null;
  readonly resultCode: string;
  readonly resultDesc: string;
  readonly originatorConversationId: string;
  readonly conversationId: string | null;
  readonly transactionId: string | null;
  /** TransactionReceipt (B2C) or ReceiptNo (Transaction Status). */
  readonly receipt: string | null;
  readonly amount: number | null;
  /** ReceiverPartyPublicName (B2C) or CreditPartyName (Transaction Status), e.g. "254712345678 - JANE DOE". */
  readonly recipientName: string | null;
  /**
   * When M-Pesa finished the payment: TransactionCompletedDateTime (B2C) or FinalisedTime (Transaction
   * Status), read as Nairobi time. Null when absent or unreadable.
   */
  readonly completedAt: Date | null;
  /** Transaction Status only: "Completed", … */
  readonly transactionStatus: string | null;
  /** Every ResultParameter, by key, as sent. */
  readonly parameters: Readonly<Record<string, string | number | null>>;
};

/**
 * A C2B confirmation or validation (the flat body Safaricom POSTs for a payment made from the customer's own
 * menu), checked: a receipt, a whole amount, a shortcode and a time M-Pesa really sends.
 */
export type C2bNotification = {
  /** "Pay Bill", "Buy Goods", … (empty in some sandbox simulations). */
  readonly transactionType: string;
  /** TransID: the M-Pesa receipt. */
  readonly receipt: string;
  readonly paidAt: Date;
  /** Whole shillings (Daraja sends "200.00"). */
  readonly amount: number;
  readonly shortcode: string;
  /** BillRefNumber: the account number a paybill's customer typed; null when empty (Buy Goods). */
  readonly accountNumber: string | null;
  /** MSISDN as sent: masked (v2) or a SHA-256 hex (v1); never a number to parse. */
  readonly phone: string;
  /** First, middle and last names joined, masked parts left out; null when none is given. */
  readonly payerName: string | null;
};

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

import type { B2cOutcome, StkOutcome } from "./simulator-outcomes.ts";

/** An STK push the simulator accepted, and what became of it. */
export type CheckoutRecord = {
  readonly checkoutRequestId: string;
  readonly merchantRequestId: string;
  readonly businessShortCode: string;
  readonly transactionType: string;
  readonly partyB: string;
  readonly phone: string;
  readonly amount: number;
  readonly accountReference: string;
  readonly callbackUrl: string;
  readonly outcome: StkOutcome;
  /** How many times its callback is sent, when a fault says so rather than the outcome. */
  readonly callbackDeliveries: number | null;
  /** Daraja sends Amount as 1 or as 1.00: the simulator alternates, so receivers meet both. */
  readonly decimalAmount: boolean;
  status: "pending" | "settled";
  receipt: string | null;
  /** yyyyMMddHHmmss in Nairobi time, once paid. */
  transactionDate: string | null;
};

/** A B2C payment the simulator accepted, and what became of it. */
export type PayoutRecord = {
  readonly originatorConversationId: string;
  readonly conversationId: string;
  readonly initiatorName: string;
  readonly shortcode: string;
  readonly phone: string;
  readonly amount: number;
  readonly commandId: string;
  readonly resultUrl: string;
  readonly queueTimeoutUrl: string;
  readonly securityCredential: string;
  /**
   * Decided when first needed, not while the request waits for its answer: decrypting the credential takes
   * node-forge up to a tenth of a second.
   */
  outcome: B2cOutcome | null;
  /** How many times its result (or queue timeout) is sent, when a fault says so rather than the outcome. */
  readonly callbackDeliveries: number | null;
  readonly requestedAt: Date;
  status: "pending" | "settled";
  receipt: string | null;
  completedAt: Date | null;
};

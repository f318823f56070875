import type { Kes } from "../../domain/kes.ts";
import type { Msisdn } from "../../domain/msisdn.ts";
import type { TransactionType } from "../../domain/payment-config.ts";
import type { PayoutCommand } from "../../domain/payout.ts";
import type { Result } from "../../domain/result.ts";

/** A Daraja app's OAuth credentials. Null in a request means PayMe's shared app. */
export type DarajaApp = { readonly consumerKey: string; readonly consumerSecret: string };

export type StkPushRequest = {
  readonly app: DarajaApp | null;
  readonly transactionType: TransactionType;
  /** The paybill, or a till's store (head-office) number. Also the shortcode inside the password. */
  readonly businessShortCode: string;
  readonly passkey: string;
  /** The account credited: the paybill, or the till. */
  readonly partyB: string;
  readonly phone: Msisdn;
  readonly amount: Kes;
  /** At most 12 characters reach Daraja. */
  readonly accountReference: string;
  /** At most 13 characters reach Daraja. */
  readonly description: string;
  /** This payment's own callback URL, carrying its secret token. */
  readonly callbackUrl: string;
};

export type StkPushAccepted = {
  readonly checkoutRequestId: string;
  readonly merchantRequestId: string | null;
};

export type StkQueryRequest = {
  readonly app: DarajaApp | null;
  readonly businessShortCode: string;
  readonly passkey: string;
  readonly checkoutRequestId: string;
};

/** What an STK Query says. "Being processed" and codes we do not know are `pending`, never a failure. */
export type StkQueryOutcome =
  | { readonly type: "pending" }
  | { readonly type: "paid" }
  | { readonly type: "unsuccessful"; readonly resultCode: string; readonly description: string };

/** B2C credentials of a business's (or PayMe's) disbursement shortcode. */
export type B2cAccount = {
  readonly app: DarajaApp | null;
  readonly shortcode: string;
  readonly initiatorName: string;
  /** Plaintext; the gateway turns it into a SecurityCredential for each request. */
  readonly initiatorPassword: string;
};

export type B2cPaymentRequest = {
  readonly account: B2cAccount;
  readonly originatorConversationId: string;
  readonly commandId: PayoutCommand;
  readonly amount: Kes;
  readonly phone: Msisdn;
  readonly remarks: string;
  readonly resultUrl: string;
  readonly queueTimeoutUrl: string;
};

export type TransactionStatusRequest = {
  readonly account: B2cAccount;
  /** The request asked about: a payout's OriginatorConversationID, or (with `transactionId`) any id for the record. */
  readonly originatorConversationId: string;
  /** Asks by M-Pesa receipt instead (a C2B payment's TransID). */
  readonly transactionId?: string;
  readonly resultUrl: string;
  readonly queueTimeoutUrl: string;
};

/**
 * Reversal of a whole M-Pesa transaction, by the API operator (initiator) of the shortcode that received it.
 * Daraja's v1 Reversal names its own OriginatorConversationID in the answer; PayMe sends its own too, for the
 * record.
 */
export type ReversalRequest = {
  readonly account: B2cAccount;
  readonly originatorConversationId: string;
  /** The receipt (TransactionID) of the payment reversed. */
  readonly receipt: string;
  readonly amount: Kes;
  readonly remarks: string;
  readonly resultUrl: string;
  readonly queueTimeoutUrl: string;
};

/** Account Balance of a shortcode, asked with the initiator of that shortcode. The result comes by callback. */
export type AccountBalanceRequest = {
  readonly account: B2cAccount;
  readonly resultUrl: string;
  readonly queueTimeoutUrl: string;
};

/** C2B Register URL (v2): where Daraja posts the payments made to a shortcode. */
export type C2bRegisterRequest = {
  readonly app: DarajaApp | null;
  /** The paybill, or a till's store number. */
  readonly shortcode: string;
  readonly responseType: "Completed" | "Cancelled";
  readonly confirmationUrl: string;
  readonly validationUrl: string;
};

/** Daraja's answer to a registration, as it sent it (OriginatorCoversationID, ResponseCode, ResponseDescription). */
export type C2bRegistered = { readonly response: Readonly<Record<string, string>> };

/** Pull Transactions: the C2B payments a shortcode received in a window (Daraja keeps the last 48 hours). */
export type PullTransactionsRequest = {
  readonly app: DarajaApp | null;
  readonly shortcode: string;
  readonly from: Date;
  readonly to: Date;
  /** Paging: how many records to skip. */
  readonly offset: number;
};

/** One pulled C2B payment, as Daraja lists it (fields it leaves out are null). */
export type PulledPayment = {
  readonly receipt: string;
  readonly paidAt: Date;
  readonly amount: number;
  readonly phone: string;
  readonly accountNumber: string | null;
  readonly payerName: string | null;
  readonly transactionType: string;
};

export type B2cAccepted = { readonly conversationId: string; readonly originatorConversationId: string };

/**
 * Why Daraja did not take a request, or why PayMe cannot tell whether it did. Each carries a message fit for the
 * person who asked.
 *
 * Definite refusals: they prove nothing started, so a push or payout fails at once.
 * - `subscriber_busy`, `invalid_credentials`, `invalid_field`, `merchant_not_found`: refusals Daraja documents;
 * - `rejected`: any other 4xx answer in Daraja's error envelope;
 * - `rate_limited`: spike arrest (500.003.02) or quota (500.003.03);
 * - `unavailable`: the request never left PayMe (no connection could be made, or no OAuth token could be had
 *   before it). It may be tried again later.
 *
 * Not refusals: Daraja may have acted on the request, so a push or payout stays pending.
 * - `outcome_unknown`: the call timed out, the connection dropped, or the answer does not say (any other 5xx, an
 *   HTML page, an envelope PayMe does not know). Never retry a push or payout on this: settle it by query.
 * - `already_accepted`: B2C's "Duplicate OriginatorConversationID": Daraja already has a request with this id, so
 *   an earlier one was accepted. Settle it by Transaction Status.
 */
export type GatewayFailure =
  | { readonly type: "subscriber_busy"; readonly message: string }
  | { readonly type: "invalid_credentials"; readonly message: string }
  | { readonly type: "invalid_field"; readonly field: string; readonly message: string }
  | { readonly type: "merchant_not_found"; readonly message: string }
  | { readonly type: "rejected"; readonly code: string; readonly message: string }
  | { readonly type: "rate_limited"; readonly retryAfterSeconds: number; readonly message: string }
  | { readonly type: "unavailable"; readonly retryAfterSeconds: number; readonly message: string }
  | { readonly type: "outcome_unknown"; readonly message: string }
  | { readonly type: "already_accepted"; readonly message: string };

/** The failures after which Daraja may have acted on the request: a push or payout stays pending. */
export type AmbiguousFailure = Extract<GatewayFailure, { type: "outcome_unknown" | "already_accepted" }>;

/** The failures that prove nothing started: a push or payout fails at once. */
export type DefiniteRefusal = Exclude<GatewayFailure, AmbiguousFailure>;

/** True when Daraja may have acted on the request (see GatewayFailure): never record that it did not. */
export function isAmbiguous(failure: GatewayFailure): failure is AmbiguousFailure {
  return failure.type === "outcome_unknown" || failure.type === "already_accepted";
}

/**
 * Safaricom's M-Pesa Daraja API. Requests are sent once: a push or payout is never retried by the gateway,
 * because a retry could charge a customer or pay someone twice.
 */
export interface PaymentGateway {
  stkPush(request: StkPushRequest): Promise<Result<StkPushAccepted, GatewayFailure>>;
  stkQuery(request: StkQueryRequest): Promise<Result<StkQueryOutcome, GatewayFailure>>;
  b2cPayment(request: B2cPaymentRequest): Promise<Result<B2cAccepted, GatewayFailure>>;
  transactionStatus(request: TransactionStatusRequest): Promise<Result<B2cAccepted, GatewayFailure>>;
  /** Reverses a whole transaction; its result comes to `resultUrl`. Never retried (it moves money). */
  reverse(request: ReversalRequest): Promise<Result<B2cAccepted, GatewayFailure>>;
  /** Asks for a shortcode's balance. Moves no money; the balance comes to `resultUrl`. */
  accountBalance(request: AccountBalanceRequest): Promise<Result<B2cAccepted, GatewayFailure>>;
  /**
   * Registers a shortcode's C2B URLs. Moves no money. In production Daraja refuses a second registration
   * ("Urls are already registered"): that is a `rejected` failure whose message says what the owner must do.
   */
  registerC2bUrls(request: C2bRegisterRequest): Promise<Result<C2bRegistered, GatewayFailure>>;
  /**
   * One page of Pull Transactions (at most 1,000 records); an empty list when there are none. A record PayMe
   * cannot read (a fractional amount, a missing receipt) is left out of the list, never guessed at.
   */
  pullTransactions(
    request: PullTransactionsRequest,
  ): Promise<Result<readonly PulledPayment[], GatewayFailure>>;
}

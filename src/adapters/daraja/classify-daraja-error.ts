import type { GatewayFailure } from "../../application/ports/payment-gateway.ts";
import type { DarajaErrorEnvelope } from "./daraja-error-envelope.ts";
import type { DarajaOperation } from "./daraja-gateway-observer.ts";

/** What the gateway knows about the call that Daraja refused, to word a message fit for a cashier. */
export type DarajaErrorContext = {
  readonly operation: DarajaOperation;
  /** The business shortcode of the request (BusinessShortCode, or the B2C PartyA). */
  readonly shortcode: string | null;
  /** True when the request used a business's own Daraja app rather than PayMe's shared one. */
  readonly ownApp: boolean;
};

/**
 * An error envelope from Daraja, classified:
 * - a GatewayFailure ready to hand back: a definite refusal (nothing started), or B2C's `already_accepted`;
 * - `invalid_access_token`: the token was refused, the request was not processed (safe to send once more);
 * - `being_processed`: STK Query's answer while the customer has not finished (not a failure);
 * - `ambiguous`: an answer that does not prove nothing started (a 5xx Daraja does not document as a refusal, a
 *   message PayMe does not know). A push or payout stays pending; a query leaves its payment pending.
 */
export type ClassifiedDarajaError =
  | GatewayFailure
  | { readonly type: "invalid_access_token" }
  | { readonly type: "being_processed" }
  | { readonly type: "ambiguous" };

const RATE_LIMIT_RETRY_SECONDS = { spike: 10, quota: 60 } as const;
const UNAVAILABLE_RETRY_SECONDS = 30;
/** Daraja's one 5xx code whose messages include definite refusals (and, on STK Query, "being processed"). */
const REFUSALS_CODE = "500.001.1001";
const SPIKE_ARREST_CODE = "500.003.02";
const QUOTA_CODE = "500.003.03";
const B2C_DUPLICATE_CODE = "500.002.1001";

const FIELD_LABELS: Readonly<Record<string, string>> = {
  PhoneNumber: "phone number",
  PartyA: "phone number",
  Amount: "amount",
  AccountReference: "account reference",
  TransactionDesc: "description",
  BusinessShortCode: "business shortcode",
  PartyB: "till or paybill number",
  CallBackURL: "callback URL",
  ResultURL: "result URL",
  QueueTimeOutURL: "timeout URL",
  Remarks: "remarks",
};

/**
 * Maps Daraja's error envelope (with the HTTP status and any Retry-After header) to what it means for PayMe, by
 * API, code and message. Only definite refusals become failures that say nothing started:
 * - any 4xx carrying the envelope (the gateway refused the request before acting on it);
 * - `500.001.1001` with a message Daraja documents as a refusal ("Wrong credentials", "Merchant does not exist",
 *   "Unable to lock subscriber"); on STK Query the same code with "being processed" means still pending;
 * - `500.003.02` (spike arrest) and `500.003.03` (quota).
 * B2C's `500.002.1001` "Duplicate OriginatorConversationID" says an earlier request was accepted. Everything else
 * (`500.003.1001` "Internal Server Error", B2C's `500.002.1001` "System internal error", a code or message never
 * seen) is ambiguous: Daraja may have acted on the request.
 * No message it returns contains a secret: the envelope holds none, and none is passed in.
 */
export function classifyDarajaError(
  status: number,
  envelope: DarajaErrorEnvelope,
  retryAfterHeader: string | null,
  context: DarajaErrorContext,
): ClassifiedDarajaError {
  const message = envelope.errorMessage.trim();
  const lower = message.toLowerCase();
  const code = envelope.errorCode.trim();
  const clientError = status >= 400 && status < 500;

  if (clientError && lower.includes("invalid access token")) {
    return { type: "invalid_access_token" };
  }
  if (context.operation === "stk_query" && lower.includes("being processed")) {
    return { type: "being_processed" };
  }
  if (
    context.operation === "b2c_payment" &&
    code === B2C_DUPLICATE_CODE &&
    lower.includes("duplicate originatorconversationid")
  ) {
    return {
      type: "already_accepted",
      message:
        "M-Pesa already has a payout with this reference, so it was not sent again. Its status will update once M-Pesa confirms it.",
    };
  }
  const rateLimit = rateLimited(code, lower, clientError, retryAfterHeader);
  if (rateLimit !== null) {
    return rateLimit;
  }
  if (clientError || code === REFUSALS_CODE) {
    const known = documentedRefusal(code, message, context);
    if (known !== null) {
      return known;
    }
  }
  if (clientError) {
    return {
      type: "rejected",
      code,
      message: `M-Pesa refused the request (${code}: ${message.slice(0, 120)}), so nothing was sent.`,
    };
  }
  return { type: "ambiguous" };
}

/** Spike arrest or quota: by code, or by message on a 4xx (a 429 carrying the envelope). */
function rateLimited(
  code: string,
  lower: string,
  clientError: boolean,
  retryAfterHeader: string | null,
): GatewayFailure | null {
  const spike =
    code === SPIKE_ARREST_CODE ||
    (clientError && (lower.includes("spike arrest") || lower.includes("system is busy")));
  const quota = code === QUOTA_CODE || (clientError && lower.includes("quota violation"));
  if (!spike && !quota) {
    return null;
  }
  const seconds =
    retryAfterSeconds(retryAfterHeader) ??
    (quota ? RATE_LIMIT_RETRY_SECONDS.quota : RATE_LIMIT_RETRY_SECONDS.spike);
  return {
    type: "rate_limited",
    retryAfterSeconds: seconds,
    message: `M-Pesa is receiving too many requests right now. Try again in ${seconds} seconds.`,
  };
}

/** A refusal Daraja documents, recognised by its message (Daraja reuses codes across meanings); null otherwise. */
function documentedRefusal(
  code: string,
  message: string,
  context: DarajaErrorContext,
): GatewayFailure | null {
  const lower = message.toLowerCase();
  if (lower.includes("unable to lock subscriber")) {
    return {
      type: "subscriber_busy",
      message:
        "The customer's phone already has an M-Pesa prompt open. Ask them to finish or cancel it, then try again in a minute.",
    };
  }
  if (lower.includes("wrong credentials")) {
    return {
      type: "invalid_credentials",
      message: `M-Pesa did not accept the passkey for shortcode ${context.shortcode ?? "(unknown)"}. Check the shortcode and passkey in the payment settings; for a till, the passkey belongs to the store number.`,
    };
  }
  if (lower.includes("merchant does not exist")) {
    return {
      type: "merchant_not_found",
      message: `M-Pesa does not know shortcode ${context.shortcode ?? "(unknown)"} for this payment. Check the shortcode in the payment settings; for a till, use the store number it went live with.`,
    };
  }
  if (code === REFUSALS_CODE) {
    // Only the messages above make this code a refusal.
    return null;
  }
  if (code.startsWith("400.008.") || lower.includes("invalid authentication passed")) {
    return invalidApp(context, "did not accept the consumer key and secret of");
  }
  if (lower.includes("no apiproduct match")) {
    return invalidApp(context, "has not enabled this API for");
  }
  const invalidField = /^bad request\s*-\s*invalid\s+([A-Za-z]+)/i.exec(message);
  if (invalidField?.[1] !== undefined) {
    return invalidFieldFailure(invalidField[1], context);
  }
  if (lower === "invalid request payload") {
    return invalidFieldFailure("payload", context);
  }
  return null;
}

/**
 * The failure for a request that never left PayMe: no connection to Daraja could be made, or no OAuth token could
 * be had before it. Nothing was started, so it may be tried again.
 */
export function unavailable(
  context: DarajaErrorContext,
  seconds = UNAVAILABLE_RETRY_SECONDS,
): GatewayFailure {
  const what: Record<DarajaOperation, string> = {
    oauth: "M-Pesa could not be reached, so nothing was sent.",
    stk_push: "M-Pesa could not be reached, so no prompt was sent to the customer.",
    stk_query: "M-Pesa could not be asked for this payment's status.",
    b2c_payment: "M-Pesa could not be reached, so the payout was not sent.",
    transaction_status: "M-Pesa could not be asked for this transaction's status.",
    account_balance: "M-Pesa could not be asked for the balance.",
    c2b_register: "M-Pesa could not be reached, so the URLs were not registered.",
    pull_transactions: "M-Pesa could not be asked for the shortcode's payments.",
    reversal: "M-Pesa could not be reached, so the refund was not sent.",
  };
  return {
    type: "unavailable",
    retryAfterSeconds: seconds,
    message: `${what[context.operation]} Try again in ${seconds} seconds.`,
  };
}

/**
 * The failure for a call Daraja may have acted on: its answer never came (`no_answer`: a timeout, a dropped
 * connection), or came but does not say whether it started anything (`unclear_answer`: a 5xx, an HTML page, an
 * envelope PayMe does not know).
 */
export function outcomeUnknown(
  context: DarajaErrorContext,
  why: "no_answer" | "unclear_answer" = "no_answer",
): GatewayFailure {
  const heard =
    why === "no_answer" ? "M-Pesa did not answer in time" : "M-Pesa's answer did not say how it went";
  const what: Record<DarajaOperation, string> = {
    oauth: `${heard}.`,
    stk_push: `${heard}, so the customer may still get the prompt. Wait for this payment to update before asking them to pay again.`,
    stk_query: `${heard}.`,
    b2c_payment: `${heard}. The payout may still go through: its status will update once M-Pesa confirms it. Do not send it again.`,
    transaction_status: `${heard} to the status request. Its answer may still come; otherwise ask again later.`,
    account_balance: `${heard} to the balance request. Its answer may still come; otherwise ask again later.`,
    c2b_register: `${heard}: the URLs may or may not be registered. Register again; if M-Pesa then says they are already registered, they are.`,
    pull_transactions: `${heard} to the request for the shortcode's payments; ask again later.`,
    reversal: `${heard}. The refund may still go through: its status will update once M-Pesa confirms it. Do not ask for it again.`,
  };
  return { type: "outcome_unknown", message: what[context.operation] };
}

function invalidApp(context: DarajaErrorContext, problem: string): GatewayFailure {
  const app = context.ownApp ? "this business's own Daraja app" : "PayMe's Daraja app";
  const fix = context.ownApp
    ? "Check the consumer key and secret in the payment settings."
    : "The operator must check MPESA_CONSUMER_KEY and MPESA_CONSUMER_SECRET.";
  return { type: "invalid_credentials", message: `M-Pesa ${problem} ${app}. ${fix}` };
}

function invalidFieldFailure(field: string, context: DarajaErrorContext): GatewayFailure {
  if (field === "SecurityCredential") {
    return {
      type: "invalid_credentials",
      message:
        "M-Pesa did not accept the initiator credentials for this payout account. Check the initiator name and password.",
    };
  }
  const payout =
    context.operation === "b2c_payment" ||
    context.operation === "transaction_status" ||
    context.operation === "reversal";
  const label = payout && field === "PartyB" ? "phone number" : (FIELD_LABELS[field] ?? field);
  const hints: Readonly<Record<string, string>> = {
    "phone number": " Check that it is a Safaricom M-Pesa number.",
    amount: payout
      ? " A payout must be whole shillings from 10 to 250,000."
      : " A payment must be whole shillings from 1 to 250,000.",
    "account reference": " It must be 1 to 12 letters and digits.",
    "business shortcode": " Check the paybill or store number in the payment settings.",
    "till or paybill number": " Check the till or paybill number in the payment settings.",
  };
  return {
    type: "invalid_field",
    field,
    message: `M-Pesa rejected the ${label}.${hints[label] ?? ""}`,
  };
}

function retryAfterSeconds(header: string | null): number | null {
  if (header === null || !/^\s*\d+\s*$/.test(header)) {
    return null;
  }
  const seconds = Number(header);
  return seconds > 0 ? Math.min(seconds, 3600) : null;
}

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
 * A refused Daraja call, classified:
 * - a GatewayFailure ready to hand back;
 * - `invalid_access_token`: the token was refused, the request was not processed (safe to send once more);
 * - `being_processed`: STK Query's answer while the customer has not finished (not a failure);
 * - `unrecognised`: an error Daraja may add later; the caller decides (unavailable, or pending for a query).
 */
export type ClassifiedDarajaError =
  | GatewayFailure
  | { readonly type: "invalid_access_token" }
  | { readonly type: "being_processed" }
  | { readonly type: "unrecognised"; readonly failure: GatewayFailure };

const RATE_LIMIT_RETRY_SECONDS = { spike: 10, quota: 60 } as const;
const UNAVAILABLE_RETRY_SECONDS = 30;

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
 * Maps Daraja's error envelope (with the HTTP status and any Retry-After header) to what it means for PayMe.
 * Matching is on the message first, because Daraja reuses codes across meanings (500.001.1001 is "Wrong
 * credentials", "Merchant does not exist", "Unable to lock subscriber" and "being processed") and uses
 * different codes for the same meaning on different APIs ("Invalid Access Token" is 404.001.03, 400.003.01 …).
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

  if (lower.includes("invalid access token") && status >= 400 && status < 500) {
    return { type: "invalid_access_token" };
  }
  if (lower.includes("unable to lock subscriber")) {
    return {
      type: "subscriber_busy",
      message:
        "The customer's phone already has an M-Pesa prompt open. Ask them to finish or cancel it, then try again in a minute.",
    };
  }
  if (lower.includes("being processed")) {
    return { type: "being_processed" };
  }
  if (lower.includes("wrong credentials")) {
    return {
      type: "invalid_credentials",
      message: `M-Pesa did not accept the passkey for shortcode ${context.shortcode ?? "(unknown)"}. Check the shortcode and passkey in the payment settings; for a till, the passkey belongs to the store number.`,
    };
  }
  if (code.startsWith("400.008.") || lower.includes("invalid authentication passed")) {
    return invalidApp(context, "did not accept the consumer key and secret of");
  }
  if (lower.includes("no apiproduct match")) {
    return invalidApp(context, "has not enabled this API for");
  }
  if (lower.includes("merchant does not exist")) {
    return {
      type: "merchant_not_found",
      message: `M-Pesa does not know shortcode ${context.shortcode ?? "(unknown)"} for this payment. Check the shortcode in the payment settings; for a till, use the store number it went live with.`,
    };
  }
  if (lower.includes("duplicate originatorconversationid")) {
    return {
      type: "outcome_unknown",
      message:
        "M-Pesa already has a payout with this reference, so it was not sent again. Its status will update once M-Pesa confirms it.",
    };
  }
  const spike = code === "500.003.02" || lower.includes("spike arrest") || lower.includes("system is busy");
  const quota = code === "500.003.03" || lower.includes("quota violation");
  if (spike || quota) {
    const seconds =
      retryAfterSeconds(retryAfterHeader) ??
      (quota ? RATE_LIMIT_RETRY_SECONDS.quota : RATE_LIMIT_RETRY_SECONDS.spike);
    return {
      type: "rate_limited",
      retryAfterSeconds: seconds,
      message: `M-Pesa is receiving too many requests right now. Try again in ${seconds} seconds.`,
    };
  }
  const invalidField = /^bad request\s*-\s*invalid\s+([A-Za-z]+)/i.exec(message);
  if (invalidField?.[1] !== undefined) {
    return invalidFieldFailure(invalidField[1], context);
  }
  if (lower === "invalid request payload") {
    return invalidFieldFailure("payload", context);
  }
  const failure = unavailable(context, retryAfterSeconds(retryAfterHeader) ?? UNAVAILABLE_RETRY_SECONDS);
  const known =
    lower.includes("internal server error") ||
    lower.includes("system internal error") ||
    lower.includes("resource not found") ||
    lower.includes("method not allowed");
  return known ? failure : { type: "unrecognised", failure };
}

/** The failure for a Daraja that could not be reached, or answered with a server error: nothing was started. */
export function unavailable(
  context: DarajaErrorContext,
  seconds = UNAVAILABLE_RETRY_SECONDS,
): GatewayFailure {
  const what: Record<DarajaOperation, string> = {
    oauth: "M-Pesa could not be reached, so nothing was sent.",
    stk_push: "M-Pesa could not be reached, so no prompt was sent to the customer.",
    stk_query: "M-Pesa could not be asked for this payment's status.",
    b2c_payment: "M-Pesa could not be reached, so the payout was not sent.",
    transaction_status: "M-Pesa could not be asked for this payout's status.",
  };
  return {
    type: "unavailable",
    retryAfterSeconds: seconds,
    message: `${what[context.operation]} Try again in ${seconds} seconds.`,
  };
}

/** The failure for a call whose answer never came, or came garbled, after Daraja may have acted on it. */
export function outcomeUnknown(context: DarajaErrorContext): GatewayFailure {
  const what: Record<DarajaOperation, string> = {
    oauth: "M-Pesa did not answer in time.",
    stk_push:
      "M-Pesa did not answer in time, so the customer may still get the prompt. Wait for this payment to update before asking them to pay again.",
    stk_query: "M-Pesa did not answer in time.",
    b2c_payment:
      "M-Pesa did not confirm the payout in time. It may still go through: its status will update once M-Pesa confirms it. Do not send it again.",
    transaction_status:
      "M-Pesa did not confirm the status request in time. Its answer may still come; otherwise ask again later.",
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
  const payout = context.operation === "b2c_payment" || context.operation === "transaction_status";
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

import type { InvitationInvalid, LastOwner } from "../../application/access/access-errors.ts";
import type { BusinessLimitReached } from "../../application/accounts/create-business.ts";
import type { C2bGatewayFailed, ShortcodeTaken } from "../../application/c2b/register-c2b-urls.ts";
import type { InitiatorMissing, LookupRefused } from "../../application/lookups/lookup-errors.ts";
import type { PayoutConfigMissing, PayoutRefused } from "../../application/payouts/initiate-payout.ts";
import type { GatewayFailure } from "../../application/ports/payment-gateway.ts";
import type { SkuTaken } from "../../application/ports/product-repository.ts";
import type { EmailTaken } from "../../application/ports/user-repository.ts";
import type { RefundRefused } from "../../application/refunds/initiate-refund.ts";
import type { PaymentConfigUnverified } from "../../application/sales/initiate-sale.ts";
import type {
  Busy,
  InvalidCredentials,
  NotFound,
  Unauthorized,
} from "../../application/shared/application-errors.ts";
import type { Forbidden } from "../../application/shared/authorize.ts";
import type { PaymentConfigMissing } from "../../application/shared/business-push.ts";
import type { PushLimitName, PushRateLimited } from "../../application/shared/push-limits.ts";
import type { PushRefused } from "../../application/shared/record-push-answer.ts";
import type { WalletUnavailable } from "../../application/wallet/initiate-wallet-purchase.ts";
import type { EndpointDisabled } from "../../application/webhooks/send-test-webhook.ts";
import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { PayoutLimitExceeded } from "../../domain/payout-limits.ts";
import type { InsufficientStock } from "../../domain/product.ts";
import type { NotRefundable } from "../../domain/refund.ts";
import type { AmountMismatch } from "../../domain/sale.ts";
import type { Problem } from "./problem.ts";
import { validationProblem } from "./request-body.ts";

/** Every expected failure a use case can answer with. */
export type ApplicationError =
  | InvalidInput
  | EmailTaken
  | InvalidCredentials
  | Unauthorized
  | NotFound
  | Forbidden
  | LastOwner
  | InvitationInvalid
  | PushRefused
  | WalletUnavailable
  | PaymentConfigMissing
  | PaymentConfigUnverified
  | InsufficientStock
  | AmountMismatch
  | SkuTaken
  | PayoutRefused
  | PayoutConfigMissing
  | PayoutLimitExceeded
  | PushRateLimited
  | BusinessLimitReached
  | ShortcodeTaken
  | EndpointDisabled
  | C2bGatewayFailed
  | NotRefundable
  | RefundRefused
  | InitiatorMissing
  | LookupRefused
  | Busy;

/** The one place that turns a use case's expected failure into a status and a problem `code`. */
export function problemFor(error: ApplicationError): Problem {
  switch (error.type) {
    case "invalid_input":
      return validationProblem(error.errors);
    case "email_taken":
      return {
        status: 409,
        code: "email_taken",
        title: "Email taken",
        detail: "An account with this email already exists. Sign in instead.",
      };
    case "invalid_credentials":
      return {
        status: 401,
        code: "invalid_credentials",
        title: "Invalid credentials",
        detail: "The email or the password is wrong.",
      };
    case "unauthorized":
      return unauthorizedProblem;
    case "not_found":
      return {
        status: 404,
        code: "not_found",
        title: "Not found",
        detail: `No such ${error.entity}.`,
      };
    case "forbidden":
      return {
        status: 403,
        code: "forbidden",
        title: "Forbidden",
        detail: `Your role in this business, or this API key's scopes, do not allow this (${error.permission}).`,
      };
    case "last_owner":
      return {
        status: 409,
        code: "last_owner",
        title: "Last owner",
        detail: "A business always keeps an owner: make another member an owner first.",
      };
    case "invitation_invalid":
      return {
        status: 404,
        code: "not_found",
        title: "Not found",
        detail:
          "No such invitation: it may have expired, been accepted already, or be meant for another email.",
      };
    case "push_refused":
      return gatewayProblem(error.failure);
    case "payment_config_unverified":
      return {
        status: 422,
        code: "payment_config_unverified",
        title: "Payment method not verified",
        detail: "Verify this business's Till or Paybill with a KES 1 test payment before charging customers.",
      };
    case "insufficient_stock":
      return {
        status: 409,
        code: "insufficient_stock",
        title: "Not enough stock",
        detail: `Only ${error.available} of ${error.productName} left; ${error.requested} asked. Nothing was reserved.`,
        errors: [
          { path: "items", message: `product ${error.productId} has only ${error.available} in stock` },
        ],
      };
    case "amount_mismatch":
      return {
        status: 422,
        code: "amount_mismatch",
        title: "Amount does not match the items",
        detail: `The items add up to ${error.expected}, but the amount given is ${error.given}.`,
      };
    case "sku_taken":
      return {
        status: 409,
        code: "sku_taken",
        title: "SKU taken",
        detail: `This business already has a product with SKU ${error.sku}.`,
      };
    case "payment_config_missing":
      return {
        status: 422,
        code: "payment_config_missing",
        title: "No payment method",
        detail: "This business has no Till or Paybill set up yet. Set one up at /setup/payment-method.",
      };
    case "payout_refused":
    case "refund_refused":
      return gatewayProblem(error.failure);
    case "not_refundable":
      return {
        status: 422,
        code: "not_refundable",
        title: "Not refundable",
        detail: `This payment cannot be refunded as asked: ${error.reason}. Nothing was sent.`,
      };
    case "payout_config_missing":
      return {
        status: 422,
        code: "payout_config_missing",
        title: "Payout config missing",
        detail: "This business has no payout config. Set one up first: POST /api/payout-config/setup.",
      };
    case "payout_limit_exceeded":
      return payoutLimitProblem(error);
    case "push_rate_limited":
      return {
        status: 429,
        code: "push_rate_limited",
        title: "Too many payment prompts",
        detail: `${PUSH_LIMIT_DETAIL[error.limit](error.max, windowText(error.windowSeconds))} Nothing was sent; try again in ${error.retryAfterSeconds} seconds.`,
        retryAfterSeconds: error.retryAfterSeconds,
      };
    case "business_limit_reached":
      return {
        status: 422,
        code: "business_limit_reached",
        title: "Business limit reached",
        detail: `You already own ${error.max} businesses, the most one user may own.`,
      };
    case "c2b_gateway_failed":
      return gatewayProblem(error.failure);
    case "shortcode_taken":
      return {
        status: 409,
        code: "shortcode_taken",
        title: "Shortcode taken",
        detail: `Shortcode ${error.shortcode} is registered for C2B by another business. If it is yours, contact support.`,
      };
    case "endpoint_disabled":
      return {
        status: 409,
        code: "endpoint_disabled",
        title: "Endpoint disabled",
        detail:
          "This webhook endpoint is disabled, so nothing would be sent to it: enable it (PATCH with enabled: true) first.",
      };
    case "busy":
      return {
        status: 503,
        code: "busy",
        title: "Busy",
        detail: "PayMe is checking too many passwords at once. Nothing was done; try again in a moment.",
        retryAfterSeconds: error.retryAfterSeconds,
      };
    case "initiator_missing":
      return {
        status: 422,
        code: "initiator_missing",
        title: "No initiator",
        detail:
          "This business's payment config has no initiator (API operator), which M-Pesa needs for this. Add the initiator's name and password to the payment settings.",
      };
    case "lookup_refused":
      return gatewayProblem(error.failure);
    case "wallet_unavailable":
      return {
        status: 503,
        code: "gateway_unavailable",
        title: "Wallet top-ups unavailable",
        detail: "Buying tokens is not configured on this server (no wallet paybill passkey).",
      };
  }
}

const shillings = (amount: number) => `KES ${amount.toLocaleString("en-US")}`;

/** A payout over the per-payout or the daily limit: what was asked, the limit, and what is left today. */
function payoutLimitProblem(error: PayoutLimitExceeded): Problem {
  const detail =
    error.limit === "per_payout"
      ? `A payout of ${shillings(error.amount)} is over this business's per-payout limit of ${shillings(error.limitAmount)}.`
      : `A payout of ${shillings(error.amount)} would take today's payouts over this business's daily limit of ${shillings(error.limitAmount)}: ${shillings(error.usedToday)} is pending or paid out since midnight (EAT), so ${shillings(Math.max(0, error.limitAmount - error.usedToday))} is left today.`;
  return {
    status: 422,
    code: "payout_limit_exceeded",
    title: "Payout limit exceeded",
    detail: `${detail} Nothing was sent. The business's owner can change the limits: PATCH /api/payout-config.`,
  };
}

const PUSH_LIMIT_DETAIL: Record<PushLimitName, (max: number, window: string) => string> = {
  phone: (max, window) =>
    `This phone has had ${max} payment prompts from this business (or the wallet) in the last ${window}.`,
  business: (max, window) => `This business has sent ${max} payment prompts in the last ${window}.`,
  wallet_per_user: (max, window) => `You have asked for ${max} wallet top-ups in the last ${window}.`,
  verification_per_user: (max, window) => `You have sent ${max} verification prompts in the last ${window}.`,
};

const windowText = (seconds: number): string =>
  seconds === 60 ? "minute" : seconds === 3600 ? "hour" : `${seconds / 60} minutes`;

/**
 * Daraja's definite refusals: the customer's phone is busy (409), Daraja said no (502), or the request could not
 * start (503: Daraja unreachable, or rate limiting us). An ambiguous answer is never a problem for a push or
 * payout (its payment stays pending, answered 202); the last case is for a call that moves no money.
 */
export function gatewayProblem(failure: GatewayFailure): Problem {
  switch (failure.type) {
    case "subscriber_busy":
      return { status: 409, code: "subscriber_busy", title: "Phone busy", detail: failure.message };
    case "invalid_credentials":
    case "invalid_field":
    case "merchant_not_found":
    case "rejected":
      return {
        status: 502,
        code: "gateway_rejected",
        title: "M-Pesa refused the request",
        detail: failure.message,
      };
    case "rate_limited":
    case "unavailable":
      return {
        status: 503,
        code: "gateway_unavailable",
        title: "M-Pesa unavailable",
        detail: failure.message,
        retryAfterSeconds: failure.retryAfterSeconds,
      };
    case "outcome_unknown":
    case "already_accepted":
      return {
        status: 503,
        code: "gateway_unavailable",
        title: "M-Pesa did not answer",
        detail: failure.message,
        retryAfterSeconds: 30,
      };
  }
}

export const unauthorizedProblem: Problem = {
  status: 401,
  code: "unauthorized",
  title: "Unauthorized",
  detail: "Send a valid token: Authorization: Bearer <token>.",
};

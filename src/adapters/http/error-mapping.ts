import type {
  Busy,
  InvalidCredentials,
  NotFound,
  Unauthorized,
} from "../../application/application-errors.ts";
import type { PaymentConfigMissing } from "../../application/business-push.ts";
import type { PayoutConfigMissing, PayoutRefused } from "../../application/initiate-payout.ts";
import type { PaymentConfigUnverified } from "../../application/initiate-sale.ts";
import type { WalletUnavailable } from "../../application/initiate-wallet-purchase.ts";
import type { GatewayFailure } from "../../application/ports/payment-gateway.ts";
import type { SkuTaken } from "../../application/ports/product-repository.ts";
import type { EmailTaken } from "../../application/ports/user-repository.ts";
import type { PushRefused } from "../../application/record-push-answer.ts";
import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { InsufficientStock } from "../../domain/product.ts";
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
  | PushRefused
  | WalletUnavailable
  | PaymentConfigMissing
  | PaymentConfigUnverified
  | InsufficientStock
  | AmountMismatch
  | SkuTaken
  | PayoutRefused
  | PayoutConfigMissing
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
      return gatewayProblem(error.failure);
    case "payout_config_missing":
      return {
        status: 422,
        code: "payout_config_missing",
        title: "Payout config missing",
        detail: "This business has no payout config. Set one up first: POST /api/payout-config/setup.",
      };
    case "busy":
      return {
        status: 503,
        code: "busy",
        title: "Busy",
        detail: "PayMe is checking too many passwords at once. Nothing was done; try again in a moment.",
        retryAfterSeconds: error.retryAfterSeconds,
      };
    case "wallet_unavailable":
      return {
        status: 503,
        code: "gateway_unavailable",
        title: "Wallet top-ups unavailable",
        detail: "Buying tokens is not configured on this server (no wallet paybill passkey).",
      };
  }
}

/** Daraja's refusals: the customer's phone is busy (409), Daraja said no (502), or Daraja is not there (503). */
export function gatewayProblem(failure: GatewayFailure): Problem {
  switch (failure.type) {
    case "subscriber_busy":
      return { status: 409, code: "subscriber_busy", title: "Phone busy", detail: failure.message };
    case "invalid_credentials":
    case "invalid_field":
    case "merchant_not_found":
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

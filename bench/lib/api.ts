import { createHash, randomBytes } from "node:crypto";
import type { CheckoutView } from "../../src/adapters/daraja-simulator/daraja-simulator.ts";

/** A small client for PayMe's API, for the bench and the drills. */

export type Answer<T = Record<string, unknown>> = { readonly status: number; readonly body: T };

export async function call<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { "Content-Type": "application/json" }),
      ...(options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: kept as text.
  }
  return { status: response.status, body: body as T };
}

/** Fails with the answer when its status is not the one expected. */
export function expectStatus<T>(answer: Answer<T>, status: number, what: string): T {
  if (answer.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

export const BENCH_PASSWORD = "bench-password-1";

export type Account = {
  readonly email: string;
  readonly token: string;
  readonly userId: string;
  readonly businessId: string;
};

/** A new user (with their first business) through /auth/sign-up. */
export async function signUp(baseUrl: string, label = "bench"): Promise<Account> {
  const email = `${label}-${randomBytes(6).toString("hex")}@example.com`;
  const body = expectStatus(
    await call<{ token: string; user: { id: string }; business: { id: string } }>(
      baseUrl,
      "POST",
      "/auth/sign-up",
      {
        body: { email, password: BENCH_PASSWORD, name: "Bench User" },
      },
    ),
    201,
    "sign-up",
  );
  return { email, token: body.token, userId: body.user.id, businessId: body.business.id };
}

/** A till config for the account's business (charging is allowed before it is verified in the bench's setup). */
export async function setUpTill(
  baseUrl: string,
  account: Account,
  options: { readonly initiator?: boolean } = {},
): Promise<void> {
  expectStatus(
    await call(baseUrl, "POST", "/api/payment-config/setup", {
      token: account.token,
      body: {
        businessId: account.businessId,
        paymentMethod: "till",
        shortcode: "5123456",
        storeNumber: "5123457",
        passkey: "bench-passkey-0123456789",
        accountName: "Bench Shop",
        // The till's API operator, for transaction look-ups and the balance.
        ...(options.initiator === true
          ? { initiatorName: "bench-operator", initiatorPassword: "Bench-Operator-1!" }
          : {}),
      },
    }),
    201,
    "payment config setup",
  );
}

/** A paybill config for the account's business (charging before verification is allowed in the drills' setup). */
export async function setUpPaybill(baseUrl: string, account: Account, shortcode: string): Promise<void> {
  expectStatus(
    await call(baseUrl, "POST", "/api/payment-config/setup", {
      token: account.token,
      body: {
        businessId: account.businessId,
        paymentMethod: "paybill",
        shortcode,
        passkey: "drill-passkey-0123456789",
        accountReference: "DRILL",
        accountName: "Drill Shop",
      },
    }),
    201,
    "payment config setup",
  );
}

export async function createProduct(
  baseUrl: string,
  account: Account,
  product: { name: string; price: number; stock: number },
): Promise<string> {
  const body = expectStatus(
    await call<{ product: { id: string } }>(
      baseUrl,
      "POST",
      `/api/businesses/${account.businessId}/products`,
      {
        token: account.token,
        body: product,
      },
    ),
    201,
    "create product",
  );
  return body.product.id;
}

/** Phone numbers the simulator pays without calling back by itself (the simulator's outcome table, simulator-outcomes.ts). */
export const PAID_NO_CALLBACK_PHONE = "254700000005";

/** A distinct ordinary payer's number: the simulator pays it. */
export function payerPhone(n: number): string {
  return `2547${String(10_000_000 + (n % 89_999_999)).padStart(8, "0")}`;
}

/** A receipt number like M-Pesa's (10 letters and digits), the same for every delivery of one checkout's callback. */
export function receiptFor(checkoutRequestId: string): string {
  return createHash("sha256").update(checkoutRequestId).digest("hex").slice(0, 10).toUpperCase();
}

/**
 * The successful STK callback Safaricom sends for a checkout, shaped like the real capture (with `Balance`).
 * Every call for one checkout gives the same text, as Safaricom's duplicate deliveries are.
 */
export function paidCallbackBody(checkout: CheckoutView): string {
  const receipt = receiptFor(checkout.checkoutRequestId);
  return JSON.stringify({
    Body: {
      stkCallback: {
        MerchantRequestID: checkout.merchantRequestId,
        CheckoutRequestID: checkout.checkoutRequestId,
        ResultCode: 0,
        ResultDesc: "The service request is processed successfully.",
        CallbackMetadata: {
          Item: [
            { Name: "Amount", Value: checkout.amount },
            { Name: "MpesaReceiptNumber", Value: receipt },
            { Name: "Balance" },
            { Name: "TransactionDate", Value: 20261126120000 },
            { Name: "PhoneNumber", Value: Number(checkout.phone) },
          ],
        },
      },
    },
  });
}

/** The callback Safaricom sends when the payer dismisses the prompt (ResultCode 1032, no CallbackMetadata). */
export function cancelledCallbackBody(checkout: CheckoutView): string {
  return JSON.stringify({
    Body: {
      stkCallback: {
        MerchantRequestID: checkout.merchantRequestId,
        CheckoutRequestID: checkout.checkoutRequestId,
        ResultCode: 1032,
        ResultDesc: "Request cancelled by user",
      },
    },
  });
}

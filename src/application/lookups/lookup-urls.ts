import { type PayoutCallbackUrls, statusUrlsFor } from "../payouts/payout-urls.ts";

/**
 * Where Daraja answers a look-up, on the origin of MPESA_CALLBACK_URL, ending in the query's own secret token:
 * a Transaction Status query on the status paths it shares with payouts (`/api/mpesa/status/result/<token>`,
 * the token tells them apart), an Account Balance on `/api/mpesa/balance/result/<token>` and
 * `/api/mpesa/balance/timeout/<token>`.
 */
export function lookupUrlsFor(
  kind: "transaction_status" | "account_balance",
  callbackUrl: string,
  token: string,
): PayoutCallbackUrls {
  if (kind === "transaction_status") {
    return statusUrlsFor(callbackUrl, token);
  }
  const origin = new URL(callbackUrl).origin;
  return {
    resultUrl: `${origin}/api/mpesa/balance/result/${token}`,
    queueTimeoutUrl: `${origin}/api/mpesa/balance/timeout/${token}`,
  };
}

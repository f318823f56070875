/**
 * Where Daraja answers a look-up, on the origin of MPESA_CALLBACK_URL, ending in the query's own secret token:
 * a Transaction Status query on the status paths payouts use too (`/api/mpesa/status/result/<token>` and
 * `/api/mpesa/status/timeout/<token>`: the token tells them apart), an Account Balance on
 * `/api/mpesa/balance/result/<token>` and `/api/mpesa/balance/timeout/<token>`.
 */
export function lookupUrlsFor(
  kind: "transaction_status" | "account_balance",
  callbackUrl: string,
  token: string,
): { readonly resultUrl: string; readonly queueTimeoutUrl: string } {
  const origin = new URL(callbackUrl).origin;
  const api = kind === "transaction_status" ? "status" : "balance";
  return {
    resultUrl: `${origin}/api/mpesa/${api}/result/${token}`,
    queueTimeoutUrl: `${origin}/api/mpesa/${api}/timeout/${token}`,
  };
}

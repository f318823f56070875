/**
 * The URLs Daraja calls back about a payout, built on the origin of MPESA_CALLBACK_URL (whatever its path), each
 * ending in a secret token that identifies the payout by itself:
 * - the B2C request's: `/api/mpesa/b2c/result/<token>` and `/api/mpesa/b2c/timeout/<token>`;
 * - a Transaction Status query's: `/api/mpesa/status/result/<token>` and `/api/mpesa/status/timeout/<token>`.
 */
export type PayoutCallbackUrls = { readonly resultUrl: string; readonly queueTimeoutUrl: string };

export function b2cUrlsFor(callbackUrl: string, token: string): PayoutCallbackUrls {
  const origin = new URL(callbackUrl).origin;
  return {
    resultUrl: `${origin}/api/mpesa/b2c/result/${token}`,
    queueTimeoutUrl: `${origin}/api/mpesa/b2c/timeout/${token}`,
  };
}

export function statusUrlsFor(callbackUrl: string, token: string): PayoutCallbackUrls {
  const origin = new URL(callbackUrl).origin;
  return {
    resultUrl: `${origin}/api/mpesa/status/result/${token}`,
    queueTimeoutUrl: `${origin}/api/mpesa/status/timeout/${token}`,
  };
}

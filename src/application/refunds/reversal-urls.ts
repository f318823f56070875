import type { PayoutCallbackUrls } from "../shared/payout-urls.ts";

/**
 * The URLs Daraja calls back about a reversal, on the origin of MPESA_CALLBACK_URL, each ending in the refund's
 * secret token: `/api/mpesa/reversal/result/<token>` and `/api/mpesa/reversal/timeout/<token>`. A Transaction
 * Status query about a reversal uses `/api/mpesa/reversal/status/result/<token>` and
 * `/api/mpesa/reversal/status/timeout/<token>`, with the query's own token.
 */
export function reversalUrlsFor(callbackUrl: string, token: string): PayoutCallbackUrls {
  const origin = new URL(callbackUrl).origin;
  return {
    resultUrl: `${origin}/api/mpesa/reversal/result/${token}`,
    queueTimeoutUrl: `${origin}/api/mpesa/reversal/timeout/${token}`,
  };
}

export function reversalStatusUrlsFor(callbackUrl: string, token: string): PayoutCallbackUrls {
  const origin = new URL(callbackUrl).origin;
  return {
    resultUrl: `${origin}/api/mpesa/reversal/status/result/${token}`,
    queueTimeoutUrl: `${origin}/api/mpesa/reversal/status/timeout/${token}`,
  };
}

import type { Hono } from "hono";
import type {
  PayoutCallback,
  ReceivePayoutCallback,
} from "../../../application/payouts/receive-payout-callback.ts";
import { parseB2cQueueTimeout } from "../../daraja/parse-b2c-queue-timeout.ts";
import { parseB2cResult } from "../../daraja/parse-b2c-result.ts";
import type { HttpEnv } from "../http-env.ts";
import {
  type CallbackWords,
  logReceivedCallback,
  reading,
  resultAndTimeoutPaths,
  tokenCallbackRoutes,
} from "./token-callback-routes.ts";

/** What a payout's callback paths say (the Transaction Status paths' too, which payouts share with look-ups). */
export const PAYOUT_WORDS: CallbackWords = {
  description:
    "Posted by Daraja to the URL given with the request; the token in the path identifies the payout.",
  notACallback: "Not a B2C or Transaction Status callback",
};

/** The log line of a callback a payout's receiver took. */
export const logPayoutCallback = logReceivedCallback("payout callback received");

const B2C_READERS = {
  result: reading(parseB2cResult, (result): PayoutCallback => ({ kind: "b2c_result", result })),
  timeout: reading(
    parseB2cQueueTimeout,
    (timeout): PayoutCallback => ({
      kind: "b2c_queue_timeout",
      originatorConversationId: timeout.originatorConversationId,
    }),
  ),
};

/**
 * Safaricom's B2C callbacks, public, each on its per-payout token path: `/api/mpesa/b2c/result/:token` and
 * `/api/mpesa/b2c/timeout/:token` (the Transaction Status paths, which look-ups share, are statusCallbackRoutes').
 * Malformed JSON, or JSON that is not such a callback, gets 400 problem+json; anything else gets 200 Accepted once
 * it is stored and, when trusted, applied (duplicates and unknown tokens included).
 */
export function payoutCallbackRoutes(deps: {
  readonly receivePayoutCallback: ReceivePayoutCallback;
}): Hono<HttpEnv> {
  const paths = resultAndTimeoutPaths("/api/mpesa/b2c", "B2C", B2C_READERS);
  return tokenCallbackRoutes(deps.receivePayoutCallback, paths, PAYOUT_WORDS, logPayoutCallback);
}

import type { Hono } from "hono";
import type {
  PayoutCallback,
  ReceivePayoutCallback,
} from "../../../application/payouts/receive-payout-callback.ts";
import { parseB2cQueueTimeout } from "../../daraja/parse-b2c-queue-timeout.ts";
import { parseB2cResult } from "../../daraja/parse-b2c-result.ts";
import type { HttpEnv } from "../http-env.ts";
import {
  logReceivedCallback,
  reading,
  resultAndTimeoutPaths,
  tokenCallbackRoutes,
} from "./token-callback-routes.ts";

/** What the OpenAPI document says of a payout's callback paths (the status paths' too). */
export const PAYOUT_CALLBACK_DESCRIPTION =
  "Posted by Daraja to the URL given with the request; the token in the path identifies the payout.";

/** The title of the 400 problem for a body that is no B2C or Transaction Status callback. */
export const NOT_A_PAYOUT_CALLBACK = "Not a B2C or Transaction Status callback";

/** The log line of a callback a payout's receiver took. */
export const logPayoutCallback = logReceivedCallback("payout callback received");

/**
 * Safaricom's B2C callbacks, public, each on its per-payout token path: `/api/mpesa/b2c/result/:token` and
 * `/api/mpesa/b2c/timeout/:token` (the Transaction Status paths, which look-ups share, are statusCallbackRoutes').
 * Malformed JSON, or JSON that is not such a callback, gets 400 problem+json; anything else gets 200 Accepted once
 * it is stored and, when trusted, applied (duplicates and unknown tokens included).
 */
export function payoutCallbackRoutes(deps: {
  readonly receivePayoutCallback: ReceivePayoutCallback;
}): Hono<HttpEnv> {
  return tokenCallbackRoutes(deps.receivePayoutCallback, {
    paths: resultAndTimeoutPaths<PayoutCallback>({
      base: "/api/mpesa/b2c",
      name: "B2C",
      result: reading(parseB2cResult, (result) => ({ kind: "b2c_result", result })),
      timeout: reading(parseB2cQueueTimeout, ({ originatorConversationId }) => ({
        kind: "b2c_queue_timeout",
        originatorConversationId,
      })),
    }),
    description: PAYOUT_CALLBACK_DESCRIPTION,
    notACallback: NOT_A_PAYOUT_CALLBACK,
    log: logPayoutCallback,
  });
}

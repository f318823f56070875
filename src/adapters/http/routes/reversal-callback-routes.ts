import type { Hono } from "hono";
import type {
  ReceiveReversalCallback,
  ReversalCallback,
} from "../../../application/refunds/receive-reversal-callback.ts";
import { parseB2cQueueTimeout } from "../../daraja/parse-b2c-queue-timeout.ts";
import { parseB2cResult } from "../../daraja/parse-b2c-result.ts";
import type { HttpEnv } from "../http-env.ts";
import {
  logReceivedCallback,
  reading,
  resultAndTimeoutPaths,
  tokenCallbackRoutes,
} from "./token-callback-routes.ts";

/**
 * Safaricom's Reversal callbacks, public, each on its per-refund token path (and the Transaction Status results
 * about a reversal, on the query's token). Reversal results have the shape of every Result Daraja sends (B2C's):
 * ResultCode, TransactionID, … Malformed JSON, or JSON that is not such a callback, gets 400 problem+json;
 * anything else gets 200 Accepted once it is stored and, when trusted, applied. Like every `/api/mpesa` path, a
 * callback that cannot be processed now is spooled and applied later.
 */
export function reversalCallbackRoutes(deps: {
  readonly receiveReversalCallback: ReceiveReversalCallback;
}): Hono<HttpEnv> {
  return tokenCallbackRoutes(deps.receiveReversalCallback, {
    paths: {
      ...resultAndTimeoutPaths<ReversalCallback>({
        base: "/api/mpesa/reversal",
        name: "Reversal",
        result: reading(parseB2cResult, (result) => ({ kind: "reversal_result", result })),
        timeout: reading(parseB2cQueueTimeout, () => ({ kind: "reversal_timeout" })),
      }),
      ...resultAndTimeoutPaths<ReversalCallback>({
        base: "/api/mpesa/reversal/status",
        name: "Transaction Status",
        about: " about a reversal",
        result: reading(parseB2cResult, (result) => ({ kind: "status_result", result })),
        timeout: reading(parseB2cQueueTimeout, () => ({ kind: "status_timeout" })),
      }),
    },
    description:
      "Posted by Daraja to the URL given with the request; the token in the path identifies the refund.",
    notACallback: "Not a Reversal callback",
    log: logReceivedCallback("reversal callback received"),
  });
}

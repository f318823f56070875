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

/** Reversal results have the shape of every Result Daraja sends (B2C's): ResultCode, TransactionID, … */
const readResult = (kind: "reversal_result" | "status_result") =>
  reading(parseB2cResult, (result): ReversalCallback => ({ kind, result }));
const readTimeout = (kind: "reversal_timeout" | "status_timeout") =>
  reading(parseB2cQueueTimeout, (): ReversalCallback => ({ kind }));

/**
 * Safaricom's Reversal callbacks, public, each on its per-refund token path (and the Transaction Status results
 * about a reversal, on the query's token). Malformed JSON, or JSON that is not such a callback, gets 400
 * problem+json; anything else gets 200 Accepted once it is stored and, when trusted, applied. Like every
 * `/api/mpesa` path, a callback that cannot be processed now is spooled and applied later.
 */
export function reversalCallbackRoutes(deps: {
  readonly receiveReversalCallback: ReceiveReversalCallback;
}): Hono<HttpEnv> {
  const paths = {
    ...resultAndTimeoutPaths("/api/mpesa/reversal", "Reversal", {
      result: readResult("reversal_result"),
      timeout: readTimeout("reversal_timeout"),
    }),
    ...resultAndTimeoutPaths(
      "/api/mpesa/reversal/status",
      "Transaction Status",
      { result: readResult("status_result"), timeout: readTimeout("status_timeout") },
      " about a reversal",
    ),
  };
  return tokenCallbackRoutes(
    deps.receiveReversalCallback,
    paths,
    {
      description:
        "Posted by Daraja to the URL given with the request; the token in the path identifies the refund.",
      notACallback: "Not a Reversal callback",
    },
    logReceivedCallback("reversal callback received"),
  );
}

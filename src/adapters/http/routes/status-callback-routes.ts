import type { Hono } from "hono";
import type {
  ReceiveStatusResult,
  StatusCallback,
} from "../../../application/shared/receive-status-result.ts";
import { parseB2cQueueTimeout } from "../../daraja/parse-b2c-queue-timeout.ts";
import { parseB2cResult } from "../../daraja/parse-b2c-result.ts";
import { parseLookupTimeout, parseTransactionStatusResult } from "../../daraja/parse-lookup-result.ts";
import type { HttpEnv } from "../http-env.ts";
import { logLookupCallback } from "./lookup-callback-routes.ts";
import { logPayoutCallback, PAYOUT_WORDS } from "./payout-callback-routes.ts";
import {
  bothReadings,
  reading,
  resultAndTimeoutPaths,
  tokenCallbackRoutes,
} from "./token-callback-routes.ts";

/** A body is read as a payout's and as a look-up's callback: either reading fails exactly when the other does. */
const STATUS_READERS = {
  result: reading(
    bothReadings(parseB2cResult, parseTransactionStatusResult),
    ([result, outcome]): StatusCallback => ({ kind: "status_result", result, outcome }),
  ),
  timeout: reading(
    bothReadings(parseB2cQueueTimeout, parseLookupTimeout),
    ([, outcome]): StatusCallback => ({ kind: "status_timeout", outcome }),
  ),
};

/**
 * Safaricom's Transaction Status callbacks, public: `/api/mpesa/status/result/:token` and
 * `/api/mpesa/status/timeout/:token`, shared by payouts' status queries and look-ups, whose token tells them apart
 * (see ReceiveStatusResult). Malformed JSON, or JSON that is not such a callback, gets 400 problem+json; anything
 * else gets 200 Accepted once it is stored and, when trusted, applied (duplicates and unknown tokens included),
 * logged as its owner's receiver logs it.
 */
export function statusCallbackRoutes(deps: {
  readonly receiveStatusResult: ReceiveStatusResult;
}): Hono<HttpEnv> {
  const paths = resultAndTimeoutPaths("/api/mpesa/status", "Transaction Status", STATUS_READERS);
  return tokenCallbackRoutes(deps.receiveStatusResult, paths, PAYOUT_WORDS, (log, callback, received) =>
    received.owner === "lookup"
      ? logLookupCallback(log, callback, { queryId: received.targetId, disposition: received.disposition })
      : logPayoutCallback(log, callback, received),
  );
}

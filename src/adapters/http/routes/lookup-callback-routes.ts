import type { Hono } from "hono";
import type { Logger } from "pino";
import type {
  LookupCallback,
  ReceiveLookupResult,
} from "../../../application/lookups/receive-lookup-result.ts";
import { parseAccountBalanceResult, parseLookupTimeout } from "../../daraja/parse-lookup-result.ts";
import type { HttpEnv } from "../http-env.ts";
import {
  type CallbackWords,
  reading,
  resultAndTimeoutPaths,
  tokenCallbackRoutes,
} from "./token-callback-routes.ts";

const BALANCE_READERS = {
  result: reading(
    parseAccountBalanceResult,
    (outcome): LookupCallback => ({ kind: "balance_result", outcome }),
  ),
  timeout: reading(parseLookupTimeout, (outcome): LookupCallback => ({ kind: "balance_timeout", outcome })),
};

const BALANCE_WORDS: CallbackWords = {
  description:
    "Posted by Daraja to the URL given with the balance request; the token in the path identifies the query.",
  notACallback: "Not an Account Balance callback",
};

/** The log line of a callback a look-up's receiver took. */
export const logLookupCallback = (
  log: Logger,
  callback: { readonly kind: string },
  received: { readonly queryId: string | null; readonly disposition: string },
): void =>
  log.info(
    { kind: callback.kind, queryId: received.queryId, disposition: received.disposition },
    "look-up callback received",
  );

/**
 * Safaricom's Account Balance results, public, each on its query's token path (the Transaction Status paths,
 * shared with payouts, are statusCallbackRoutes'). Malformed JSON, or JSON that is not such a callback, gets 400
 * problem+json; anything else gets 200 Accepted once it is stored and, with a known token, applied.
 */
export function lookupCallbackRoutes(deps: {
  readonly receiveLookupResult: ReceiveLookupResult;
}): Hono<HttpEnv> {
  const paths = resultAndTimeoutPaths("/api/mpesa/balance", "Account Balance", BALANCE_READERS);
  return tokenCallbackRoutes(deps.receiveLookupResult, paths, BALANCE_WORDS, logLookupCallback);
}

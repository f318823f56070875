import { type Context, Hono, type Next } from "hono";
import type * as v from "valibot";
import type {
  LookupCallback,
  ReceiveLookupResult,
} from "../../../application/lookups/receive-lookup-result.ts";
import type { LookupOutcome } from "../../../domain/lookup-query.ts";
import type { Result } from "../../../domain/result.ts";
import { TimeoutBody } from "../../daraja/parse-b2c-queue-timeout.ts";
import { ResultEnvelope } from "../../daraja/parse-b2c-result.ts";
import {
  type NotLookupResult,
  parseAccountBalanceResult,
  parseLookupTimeout,
  parseTransactionStatusResult,
} from "../../daraja/parse-lookup-result.ts";
import { readCallbackJson } from "../callback-json.ts";
import type { HttpEnv } from "../http-env.ts";
import { routeDoc } from "../openapi/route-docs.ts";
import { problemResponse } from "../problem.ts";
import { redactedPath } from "../redact-path.ts";
import { CALLBACK_ACCEPTED, CallbackAcceptedSchema } from "./mpesa-callback-routes.ts";

type Reader = (json: unknown) => Result<LookupOutcome, NotLookupResult>;

/** The status paths: shared with payouts (and any other status query), told apart by the token. */
const STATUS_PATHS: Readonly<Record<string, { kind: LookupCallback["kind"]; read: Reader }>> = {
  "/api/mpesa/status/result/:token": { kind: "status_result", read: parseTransactionStatusResult },
  "/api/mpesa/status/timeout/:token": { kind: "status_timeout", read: parseLookupTimeout },
};

/** The balance paths: a look-up's own. */
const BALANCE_PATHS: Readonly<
  Record<string, { kind: LookupCallback["kind"]; read: Reader; summary: string; body: v.GenericSchema }>
> = {
  "/api/mpesa/balance/result/:token": {
    kind: "balance_result",
    read: parseAccountBalanceResult,
    summary: "Account Balance result",
    body: ResultEnvelope,
  },
  "/api/mpesa/balance/timeout/:token": {
    kind: "balance_timeout",
    read: parseLookupTimeout,
    summary: "Account Balance queue timeout",
    body: TimeoutBody,
  },
};

/**
 * Safaricom's results for look-ups, public, each on its query's token path.
 *
 * - On the Transaction Status paths (which payouts use too), a result whose token is a look-up's settles it and
 *   is answered here; any other (a payout's token, an unknown token, a body that is no result) goes on to the
 *   payout receiver, as if this were not here.
 * - On the Account Balance paths, malformed JSON, or JSON that is not such a callback, gets 400 problem+json;
 *   anything else gets 200 Accepted once it is stored and, with a known token, applied.
 */
export function lookupCallbackRoutes(deps: {
  readonly receiveLookupResult: ReceiveLookupResult;
}): Hono<HttpEnv> {
  const routes = new Hono<HttpEnv>();
  const receive = async (
    c: Context<HttpEnv>,
    kind: LookupCallback["kind"],
    outcome: LookupOutcome,
    body: unknown,
  ) => {
    const received = await deps.receiveLookupResult.execute({
      token: c.req.param("token") ?? "",
      callback: { kind, outcome },
      body,
      path: redactedPath(c),
    });
    if (received.known || !kind.startsWith("status_")) {
      c.var.log.info(
        { kind, queryId: received.queryId, disposition: received.disposition },
        "look-up callback received",
      );
    }
    return received.known;
  };

  for (const [path, { kind, read }] of Object.entries(STATUS_PATHS)) {
    routes.post(path, async (c: Context<HttpEnv>, next: Next) => {
      const json = await readCallbackJson(c);
      const outcome = json.ok ? read(json.body) : null;
      if (!json.ok || outcome === null || !outcome.ok) {
        // Not ours to judge: the payout receiver answers it (400 for a body that is no result).
        return next();
      }
      if (await receive(c, kind, outcome.value, json.body)) {
        return c.json(CALLBACK_ACCEPTED);
      }
      return next();
    });
  }

  for (const [path, { kind, read, summary, body: bodySchema }] of Object.entries(BALANCE_PATHS)) {
    routes.post(
      path,
      routeDoc({
        tag: "Safaricom callbacks",
        summary,
        description:
          "Posted by Daraja to the URL given with the balance request; the token in the path identifies the query.",
        auth: false,
        body: bodySchema,
        success: {
          status: 200,
          description: "Received (duplicates and unknown tokens too).",
          schema: CallbackAcceptedSchema,
        },
        problems: [503],
      }),
      async (c: Context<HttpEnv>) => {
        const json = await readCallbackJson(c);
        if (!json.ok) {
          return json.problem;
        }
        const outcome = read(json.body);
        if (!outcome.ok) {
          return problemResponse(c, {
            status: 400,
            code: "validation_failed",
            title: "Not an Account Balance callback",
            detail: outcome.error.message,
            errors: [{ path: outcome.error.field ?? "Result", message: outcome.error.message }],
          });
        }
        await receive(c, kind, outcome.value, json.body);
        return c.json(CALLBACK_ACCEPTED);
      },
    );
  }
  return routes;
}

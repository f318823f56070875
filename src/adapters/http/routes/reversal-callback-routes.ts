import { type Context, Hono } from "hono";
import type * as v from "valibot";
import type {
  ReceiveReversalCallback,
  ReversalCallback,
} from "../../../application/refunds/receive-reversal-callback.ts";
import { err, ok, type Result } from "../../../domain/result.ts";
import { parseB2cQueueTimeout, TimeoutBody } from "../../daraja/parse-b2c-queue-timeout.ts";
import { parseB2cResult, ResultEnvelope } from "../../daraja/parse-b2c-result.ts";
import { readCallbackJson } from "../callback-json.ts";
import type { HttpEnv } from "../http-env.ts";
import { routeDoc } from "../openapi/route-docs.ts";
import { problemResponse } from "../problem.ts";
import { redactedPath } from "../redact-path.ts";
import { CALLBACK_ACCEPTED, CallbackAcceptedSchema } from "./mpesa-callback-routes.ts";

type Reader = (
  json: unknown,
) => Result<ReversalCallback, { readonly message: string; readonly field: string | null }>;

type Receiver = { readonly read: Reader; readonly summary: string; readonly body: v.GenericSchema };

/** Reversal results have the shape of every Result Daraja sends (B2C's): ResultCode, TransactionID, … */
const RECEIVERS: Readonly<Record<string, Receiver>> = {
  "/api/mpesa/reversal/result/:token": {
    summary: "Reversal result",
    body: ResultEnvelope,
    read: (json) => {
      const parsed = parseB2cResult(json);
      return parsed.ok ? ok({ kind: "reversal_result", result: parsed.value }) : parsed;
    },
  },
  "/api/mpesa/reversal/timeout/:token": {
    summary: "Reversal queue timeout",
    body: TimeoutBody,
    read: (json) => {
      const parsed = parseB2cQueueTimeout(json);
      return parsed.ok ? ok({ kind: "reversal_timeout" }) : err(parsed.error);
    },
  },
  "/api/mpesa/reversal/status/result/:token": {
    summary: "Transaction Status result about a reversal",
    body: ResultEnvelope,
    read: (json) => {
      const parsed = parseB2cResult(json);
      return parsed.ok ? ok({ kind: "status_result", result: parsed.value }) : parsed;
    },
  },
  "/api/mpesa/reversal/status/timeout/:token": {
    summary: "Transaction Status queue timeout about a reversal",
    body: TimeoutBody,
    read: (json) => {
      const parsed = parseB2cQueueTimeout(json);
      return parsed.ok ? ok({ kind: "status_timeout" }) : err(parsed.error);
    },
  },
};

/**
 * Safaricom's Reversal callbacks, public, each on its per-refund token path (and the Transaction Status results
 * about a reversal, on the query's token). Malformed JSON, or JSON that is not such a callback, gets 400
 * problem+json; anything else gets 200 Accepted once it is stored and, when trusted, applied. Like every
 * `/api/mpesa` path, a callback that cannot be processed now is spooled and applied later.
 */
export function reversalCallbackRoutes(deps: {
  readonly receiveReversalCallback: ReceiveReversalCallback;
}): Hono<HttpEnv> {
  const routes = new Hono<HttpEnv>();
  for (const [path, { read, summary, body: bodySchema }] of Object.entries(RECEIVERS)) {
    routes.post(
      path,
      routeDoc({
        tag: "Safaricom callbacks",
        summary,
        description:
          "Posted by Daraja to the URL given with the request; the token in the path identifies the refund.",
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
        const { body } = json;
        const callback = read(body);
        if (!callback.ok) {
          return problemResponse(c, {
            status: 400,
            code: "validation_failed",
            title: "Not a Reversal callback",
            detail: callback.error.message,
            errors: [{ path: callback.error.field ?? "Result", message: callback.error.message }],
          });
        }
        const received = await deps.receiveReversalCallback.execute({
          token: c.req.param("token") ?? "",
          callback: callback.value,
          body,
          path: redactedPath(c),
        });
        c.var.log.info(
          {
            kind: callback.value.kind,
            recordId: received.recordId,
            trusted: received.trusted,
            disposition: received.disposition,
            paymentRef: received.paymentRef,
          },
          "reversal callback received",
        );
        return c.json(CALLBACK_ACCEPTED);
      },
    );
  }
  return routes;
}

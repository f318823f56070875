import { type Context, Hono } from "hono";
import type * as v from "valibot";
import type {
  PayoutCallback,
  ReceivePayoutCallback,
} from "../../../application/payouts/receive-payout-callback.ts";
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
) => Result<PayoutCallback, { readonly message: string; readonly field: string | null }>;

/** One callback path: how its body is read, and what the OpenAPI document says of it. */
type Receiver = { readonly read: Reader; readonly summary: string; readonly body: v.GenericSchema };

const RECEIVERS: Readonly<Record<string, Receiver>> = {
  "/api/mpesa/b2c/result/:token": {
    summary: "B2C result",
    body: ResultEnvelope,
    read: (json) => {
      const parsed = parseB2cResult(json);
      return parsed.ok ? ok({ kind: "b2c_result", result: parsed.value }) : parsed;
    },
  },
  "/api/mpesa/b2c/timeout/:token": {
    summary: "B2C queue timeout",
    body: TimeoutBody,
    read: (json) => {
      const parsed = parseB2cQueueTimeout(json);
      return parsed.ok
        ? ok({ kind: "b2c_queue_timeout", originatorConversationId: parsed.value.originatorConversationId })
        : parsed;
    },
  },
  "/api/mpesa/status/result/:token": {
    summary: "Transaction Status result",
    body: ResultEnvelope,
    read: (json) => {
      const parsed = parseB2cResult(json);
      return parsed.ok ? ok({ kind: "status_result", result: parsed.value }) : parsed;
    },
  },
  "/api/mpesa/status/timeout/:token": {
    summary: "Transaction Status queue timeout",
    body: TimeoutBody,
    read: (json) => {
      const parsed = parseB2cQueueTimeout(json);
      return parsed.ok ? ok({ kind: "status_timeout" }) : err(parsed.error);
    },
  },
};

const payoutCallbackDoc = (summary: string, body: v.GenericSchema) =>
  routeDoc({
    tag: "Safaricom callbacks",
    summary,
    description:
      "Posted by Daraja to the URL given with the request; the token in the path identifies the payout.",
    auth: false,
    body,
    success: {
      status: 200,
      description: "Received (duplicates and unknown tokens too).",
      schema: CallbackAcceptedSchema,
    },
    // Neither processed nor spooled (the spool is full): not acknowledged, so that Safaricom sends it again.
    problems: [503],
  });

/**
 * Safaricom's B2C and Transaction Status callbacks, public, each on its per-payout token path:
 * `/api/mpesa/b2c/result/:token`, `/api/mpesa/b2c/timeout/:token`, `/api/mpesa/status/result/:token` and
 * `/api/mpesa/status/timeout/:token`. Malformed JSON, or JSON that is not such a callback, gets 400
 * problem+json; anything else gets 200 Accepted once it is stored and, when trusted, applied (duplicates and
 * unknown tokens included).
 */
export function payoutCallbackRoutes(deps: {
  readonly receivePayoutCallback: ReceivePayoutCallback;
}): Hono<HttpEnv> {
  const routes = new Hono<HttpEnv>();
  for (const [path, { read, summary, body: bodySchema }] of Object.entries(RECEIVERS)) {
    routes.post(path, payoutCallbackDoc(summary, bodySchema), async (c: Context<HttpEnv>) => {
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
          title: "Not a B2C or Transaction Status callback",
          detail: callback.error.message,
          errors: [{ path: callback.error.field ?? "Result", message: callback.error.message }],
        });
      }
      const received = await deps.receivePayoutCallback.execute({
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
        "payout callback received",
      );
      return c.json(CALLBACK_ACCEPTED);
    });
  }
  return routes;
}

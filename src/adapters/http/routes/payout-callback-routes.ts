import { type Context, Hono } from "hono";
import type {
  PayoutCallback,
  ReceivePayoutCallback,
} from "../../../application/payouts/receive-payout-callback.ts";
import { err, ok, type Result } from "../../../domain/result.ts";
import { parseB2cQueueTimeout } from "../../daraja/parse-b2c-queue-timeout.ts";
import { parseB2cResult } from "../../daraja/parse-b2c-result.ts";
import { readCallbackJson } from "../callback-json.ts";
import type { HttpEnv } from "../http-env.ts";
import { problemResponse } from "../problem.ts";
import { redactedPath } from "../redact-path.ts";
import { CALLBACK_ACCEPTED } from "./mpesa-callback-routes.ts";

type Reader = (
  json: unknown,
) => Result<PayoutCallback, { readonly message: string; readonly field: string | null }>;

const READERS: Readonly<Record<string, Reader>> = {
  "/api/mpesa/b2c/result/:token": (json) => {
    const parsed = parseB2cResult(json);
    return parsed.ok ? ok({ kind: "b2c_result", result: parsed.value }) : parsed;
  },
  "/api/mpesa/b2c/timeout/:token": (json) => {
    const parsed = parseB2cQueueTimeout(json);
    return parsed.ok
      ? ok({ kind: "b2c_queue_timeout", originatorConversationId: parsed.value.originatorConversationId })
      : parsed;
  },
  "/api/mpesa/status/result/:token": (json) => {
    const parsed = parseB2cResult(json);
    return parsed.ok ? ok({ kind: "status_result", result: parsed.value }) : parsed;
  },
  "/api/mpesa/status/timeout/:token": (json) => {
    const parsed = parseB2cQueueTimeout(json);
    return parsed.ok ? ok({ kind: "status_timeout" }) : err(parsed.error);
  },
};

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
  for (const [path, read] of Object.entries(READERS)) {
    routes.post(path, async (c: Context<HttpEnv>) => {
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

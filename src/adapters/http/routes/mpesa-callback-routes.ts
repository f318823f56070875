import { type Context, Hono } from "hono";
import * as v from "valibot";
import type { ConfirmStkCallback } from "../../../application/stk/confirm-stk-callback.ts";
import type { ReceiveStkCallback } from "../../../application/stk/receive-stk-callback.ts";
import type { BackgroundTasks } from "../../background/background-tasks.ts";
import { parseStkCallback, StkCallbackEnvelope } from "../../daraja/parse-stk-callback.ts";
import { readCallback } from "../callback-json.ts";
import type { HttpEnv } from "../http-env.ts";
import { routeDoc } from "../openapi/route-docs.ts";
import { redactedPath } from "../redact-path.ts";

/** What Safaricom is told for every well-formed callback, duplicates and unknown ids included. */
export const CALLBACK_ACCEPTED = { ResultCode: 0, ResultDesc: "Accepted" } as const;

export const SEED_CALLBACK_PATH = "/api/mpesa/callback";

/** What Safaricom is answered, as the OpenAPI document shows it. */
export const CallbackAcceptedSchema = v.object({
  ResultCode: v.literal(0),
  ResultDesc: v.literal("Accepted"),
});

const stkCallbackDoc = (trusted: boolean) =>
  routeDoc({
    tag: "Safaricom callbacks",
    summary: trusted ? "STK push result, with the payment's token" : "STK push result on the bare path",
    description: trusted
      ? "Daraja posts here the result of a push whose CallBackURL carried this token: trusted, applied exactly once."
      : "Never trusted as it stands: stored, and applied only if an STK Query confirms the same outcome.",
    auth: false,
    body: StkCallbackEnvelope,
    success: {
      status: 200,
      description: "Received (duplicates and unknown ids too).",
      schema: CallbackAcceptedSchema,
    },
    // Neither processed nor spooled (the spool is full): not acknowledged, so that Safaricom sends it again.
    problems: [503],
  });

/**
 * The STK callback receiver: `<path>/:token` (trusted: the token identifies its payment) and the bare `<path>`
 * (never trusted as it stands), at the seed's path and at the path of MPESA_CALLBACK_URL when that differs.
 * Malformed JSON, or JSON that is not an STK callback, gets 400 problem+json; anything else gets 200 Accepted
 * once it is stored and, when trusted, applied.
 */
export function mpesaCallbackRoutes(deps: {
  readonly receiveStkCallback: ReceiveStkCallback;
  readonly confirmStkCallback: ConfirmStkCallback;
  readonly background: BackgroundTasks;
  /** Paths the receiver answers on, e.g. ["/api/mpesa/callback", "/hooks/stk"]. */
  readonly callbackPaths: readonly string[];
}): Hono<HttpEnv> {
  const routes = new Hono<HttpEnv>();

  const receive = async (c: Context<HttpEnv>, token: string | null) => {
    const read = await readCallback(c, parseStkCallback, {
      title: "Not an STK callback",
      wholePath: "Body.stkCallback",
    });
    if (!read.ok) {
      return read.problem;
    }
    const { body, callback } = read;
    const received = await deps.receiveStkCallback.execute({
      token,
      callback,
      body,
      path: redactedPath(c),
    });
    // On the request's own log line (one line per callback, where there were two).
    c.set("outcomeLog", {
      recordId: received.recordId,
      trusted: received.trusted,
      disposition: received.disposition,
    });
    const { toConfirm } = received;
    if (toConfirm !== null) {
      deps.background.run(`confirm-stk:${toConfirm.checkoutRequestId}`, () =>
        deps.confirmStkCallback.execute({ recordId: received.recordId, ...toConfirm }),
      );
    }
    return c.json(CALLBACK_ACCEPTED);
  };

  for (const path of new Set(deps.callbackPaths.map((p) => p.replace(/\/+$/, "")))) {
    routes.post(path, stkCallbackDoc(false), (c) => receive(c, null));
    routes.post(`${path}/:token`, stkCallbackDoc(true), (c) => receive(c, c.req.param("token")));
  }
  return routes;
}

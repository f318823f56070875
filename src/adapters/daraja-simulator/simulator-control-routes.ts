import { Hono } from "hono";
import * as v from "valibot";
import { type CheckoutView, type DarajaSimulator, SIMULATOR_APIS } from "./daraja-simulator.ts";
import { redactCallbackUrl } from "./redact-callback-url.ts";

/** What the control routes drive: the simulator's handle, less what only a process holding it may do. */
export type SimulatorControls = Pick<
  DarajaSimulator,
  | "stats"
  | "stkPushBodies"
  | "checkout"
  | "settle"
  | "payout"
  | "c2bUrls"
  | "callbacks"
  | "injectFault"
  | "revokeTokens"
  | "reset"
>;

const FaultSchema = v.object({
  api: v.picklist(SIMULATOR_APIS),
  times: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  delayMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600_000))),
  error: v.optional(
    v.object({
      status: v.pipe(v.number(), v.integer(), v.minValue(400), v.maxValue(599)),
      errorCode: v.string(),
      errorMessage: v.string(),
    }),
  ),
  afterProcessing: v.optional(v.boolean()),
  rawBody: v.optional(
    v.object({
      status: v.pipe(v.number(), v.integer(), v.minValue(200), v.maxValue(599)),
      body: v.string(),
      contentType: v.optional(v.string()),
    }),
  ),
  callback: v.optional(
    v.object({
      deliveries: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10))),
      delayMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600_000))),
      queueTimeout: v.optional(v.boolean()),
    }),
  ),
});

const redactedCheckout = (view: CheckoutView | null) =>
  view === null ? null : { ...view, callbackUrl: redactCallbackUrl(view.callbackUrl) };

/**
 * The simulator's own routes under `/__simulator/` (no Daraja path): its statistics, what it received and sent,
 * checkouts settled on demand, faults, token revocation and reset (README, "The simulator's faults"). Over HTTP,
 * passwords and the secret tokens in callback URLs are redacted: the in-process handle has them.
 */
export function simulatorControlRoutes(controls: SimulatorControls): Hono {
  const routes = new Hono();

  routes.get("/__simulator/stats", (c) => c.json(controls.stats()));
  routes.get("/__simulator/stk-pushes", (c) =>
    c.json({
      pushes: controls.stkPushBodies().map((body) => ({
        ...body,
        ...(body.Password === undefined ? {} : { Password: "[redacted]" }),
        ...(typeof body.CallBackURL === "string" ? { CallBackURL: redactCallbackUrl(body.CallBackURL) } : {}),
      })),
    }),
  );
  routes.get("/__simulator/checkouts/:id", (c) => {
    const view = redactedCheckout(controls.checkout(c.req.param("id")));
    return view === null ? c.json({ error: "unknown checkout" }, 404) : c.json(view);
  });
  routes.post("/__simulator/checkouts/:id/settle", async (c) => {
    const view = redactedCheckout(await controls.settle(c.req.param("id")));
    return view === null ? c.json({ error: "unknown checkout" }, 404) : c.json(view);
  });
  routes.get("/__simulator/payouts/:id", (c) => {
    const view = controls.payout(c.req.param("id"));
    return view === null ? c.json({ error: "unknown payout" }, 404) : c.json(view);
  });
  routes.get("/__simulator/callbacks", (c) =>
    c.json({
      callbacks: controls
        .callbacks()
        .map((delivery) => ({ ...delivery, url: redactCallbackUrl(delivery.url) })),
    }),
  );
  routes.post("/__simulator/faults", async (c) => {
    const parsed = v.safeParse(FaultSchema, await c.req.json().catch(() => null));
    if (!parsed.success) {
      return c.json(
        { error: "not a fault: { api, times?, delayMs?, error?, afterProcessing?, rawBody?, callback? }" },
        400,
      );
    }
    controls.injectFault(parsed.output);
    return c.json({ ok: true });
  });
  routes.post("/__simulator/revoke-tokens", (c) => {
    controls.revokeTokens();
    return c.json({ ok: true });
  });
  routes.post("/__simulator/reset", (c) => {
    controls.reset();
    return c.json({ ok: true });
  });

  return routes;
}

import type { Hono } from "hono";
import * as v from "valibot";
import { TimeoutBody } from "../../daraja/parse-b2c-queue-timeout.ts";
import { ResultEnvelope } from "../../daraja/parse-b2c-result.ts";
import { StkCallbackEnvelope } from "../../daraja/parse-stk-callback.ts";
import type { HttpEnv } from "../http-env.ts";
import { type RouteDoc, routeDoc } from "./route-docs.ts";

const accepted = v.object({ ResultCode: v.literal(0), ResultDesc: v.literal("Accepted") });

const stkCallbackDoc = (trusted: boolean): RouteDoc => ({
  tag: "Safaricom callbacks",
  summary: trusted ? "STK push result, with the payment's token" : "STK push result on the bare path",
  description: trusted
    ? "Daraja posts here the result of a push whose CallBackURL carried this token: trusted, applied exactly once."
    : "Never trusted as it stands: stored, and applied only if an STK Query confirms the same outcome.",
  auth: false,
  body: StkCallbackEnvelope,
  success: { status: 200, description: "Received (duplicates and unknown ids too).", schema: accepted },
  // Neither processed nor spooled (the spool is full): not acknowledged, so that Safaricom sends it again.
  problems: [503],
});

const payoutCallbackDoc = (what: string, body: v.GenericSchema): RouteDoc => ({
  tag: "Safaricom callbacks",
  summary: what,
  description:
    "Posted by Daraja to the URL given with the request; the token in the path identifies the payout.",
  auth: false,
  body,
  success: { status: 200, description: "Received (duplicates and unknown tokens too).", schema: accepted },
  // Neither processed nor spooled (the spool is full): not acknowledged, so that Safaricom sends it again.
  problems: [503],
});

/**
 * The OpenAPI description of every route, keyed by "METHOD path" as Hono registers it. Request bodies come from
 * the valibot schemas the routes validate with; responses from resource-schemas.ts. A test checks that every
 * registered route has its entry.
 */
export const ROUTE_DOCS: Readonly<Record<string, RouteDoc>> = {
  "GET /health": {
    tag: "Operations",
    summary: "Liveness",
    auth: false,
    success: {
      status: 200,
      description: "The process is up.",
      schema: v.object({ status: v.literal("ok") }),
    },
  },
  "GET /ready": {
    tag: "Operations",
    summary: "Readiness",
    auth: false,
    success: {
      status: 200,
      description: "The database answers.",
      schema: v.object({ status: v.literal("ready") }),
    },
    problems: [503],
  },
  "GET /metrics": {
    tag: "Operations",
    summary: "Prometheus metrics",
    description:
      "Public while METRICS_TOKEN is unset; with it set, send `Authorization: Bearer $METRICS_TOKEN` (production requires it).",
    auth: false,
    problems: [401],
    success: {
      status: 200,
      description: "Prometheus text format.",
      schema: v.string(),
      contentType: "text/plain",
    },
  },
  "GET /openapi.json": {
    tag: "Operations",
    summary: "This document",
    auth: false,
    success: { status: 200, description: "The OpenAPI 3.1 document.", schema: v.object({}) },
  },
  "GET /docs/assets/:file": {
    tag: "Operations",
    summary: "Files of the documentation page",
    auth: false,
    success: {
      status: 200,
      description: "CSS, JavaScript or an icon.",
      schema: v.string(),
      contentType: "application/octet-stream",
    },
    problems: [404],
  },
  "GET /docs": {
    tag: "Operations",
    summary: "Browsable documentation",
    auth: false,
    success: {
      status: 200,
      description: "An HTML page (no CDN).",
      schema: v.string(),
      contentType: "text/html",
    },
  },
  "POST /api/mpesa/b2c/result/:token": payoutCallbackDoc("B2C result", ResultEnvelope),
  "POST /api/mpesa/b2c/timeout/:token": payoutCallbackDoc("B2C queue timeout", TimeoutBody),
  "POST /api/mpesa/status/result/:token": payoutCallbackDoc("Transaction Status result", ResultEnvelope),
  "POST /api/mpesa/status/timeout/:token": payoutCallbackDoc("Transaction Status queue timeout", TimeoutBody),
  "POST /api/mpesa/callback": stkCallbackDoc(false),
  "POST /api/mpesa/callback/:token": stkCallbackDoc(true),
};

const htmlPage = (summary: string, description: string, auth: false | "cookie" = "cookie"): RouteDoc => ({
  tag: "Web pages",
  summary,
  description,
  auth,
  success: { status: 200, description: "An HTML page.", schema: v.string(), contentType: "text/html" },
});

const form = (summary: string, description: string, auth: false | "cookie" = "cookie"): RouteDoc => ({
  tag: "Web pages",
  summary,
  description: `${description} Forms are checked against cross-site requests (same origin, and a per-session token once signed in).`,
  auth,
  body: v.record(v.string(), v.string()),
  bodyType: "application/x-www-form-urlencoded",
  success: {
    status: 303,
    description: "On to the next page; a form with mistakes is shown again, beside the fields.",
  },
});

const status = (summary: string): RouteDoc => ({
  tag: "Web pages",
  summary,
  description: "Polled by the pages for live status; needs the session cookie and the X-CSRF-Token header.",
  auth: "cookie",
  success: { status: 200, description: "The current status.", schema: v.looseObject({ status: v.string() }) },
  problems: [404],
});

/** The server-rendered pages: HTML for people, on the same app, with a session cookie instead of a bearer token. */
export const WEB_PAGE_DOCS: Readonly<Record<string, RouteDoc>> = {
  "GET /": {
    ...htmlPage("Home", "Sends you to the dashboard.", false),
    success: { status: 303, description: "To /dashboard." },
  },
  "GET /sign-up": htmlPage("Sign-up page", "Create an account and a first business.", false),
  "POST /sign-up": form("Sign up", "Creates the account and starts a session.", false),
  "GET /sign-in": htmlPage("Sign-in page", "Sign in with email and password.", false),
  "POST /sign-in": form("Sign in", "Starts a session (an HttpOnly, SameSite=Lax cookie).", false),
  "POST /sign-out": form("Sign out", "Ends the session."),
  "GET /setup/payment-method": htmlPage(
    "Set up a Till or Paybill",
    "Step 1: the payment method; step 2: a KES 1 test.",
  ),
  "POST /setup/payment-method": form("Save the payment method", "Stores the config; the passkey is sealed."),
  "POST /setup/payment-method/verify": form("Send the KES 1 test", "Pushes KES 1 to the owner's phone."),
  "GET /setup/payment-method/status": status("Status of the KES 1 test"),
  "GET /dashboard": htmlPage("Dashboard", "Wallet, products, recent sales, and charging a customer."),
  "POST /dashboard/wallet/buy": form("Buy tokens", "Pushes a wallet purchase to the phone."),
  "POST /dashboard/products": form("Add a product", "Adds a product with its price and stock."),
  "POST /dashboard/charge": form("Charge a customer", "Pushes a sale to the customer's phone."),
  "GET /dashboard/purchases/:id/status": status("Status of a token purchase"),
  "GET /dashboard/sales/:id/status": status("Status of a sale"),
};

/** Registers each route's description on the app, ahead of the route itself. */
export function documentRoutes(app: Hono<HttpEnv>, extra: Readonly<Record<string, RouteDoc>> = {}): void {
  for (const [key, doc] of Object.entries({ ...ROUTE_DOCS, ...WEB_PAGE_DOCS, ...extra })) {
    const [method = "GET", path = "/"] = key.split(" ");
    app.on(method, path, routeDoc(doc));
  }
}

/** The description of a callback receiver served on another path (MPESA_CALLBACK_URL's). */
export const callbackDocsAt = (path: string): Record<string, RouteDoc> => ({
  [`POST ${path}`]: stkCallbackDoc(false),
  [`POST ${path}/:token`]: stkCallbackDoc(true),
});

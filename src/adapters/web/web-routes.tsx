import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Authenticate } from "../../application/accounts/authenticate.ts";
import type { Clock } from "../../application/ports/clock.ts";
import type { IdempotencyStore } from "../../application/ports/idempotency-store.ts";
import { redactedPath } from "../http/redact-path.ts";
import { CsrfTokens } from "./csrf-tokens.ts";
import { htmlPage } from "./html-page.ts";
import { OncePerForm } from "./once-per-form.ts";
import { MessagePage } from "./pages/message-page.tsx";
import { type AuthPageDependencies, authPages } from "./routes/auth-pages.tsx";
import { type DashboardPageDependencies, dashboardPages } from "./routes/dashboard-pages.tsx";
import { type LookupPageDependencies, lookupPages } from "./routes/lookup-pages.tsx";
import { type PayoutPageDependencies, payoutPages } from "./routes/payout-pages.tsx";
import { type ProductPageDependencies, productPages } from "./routes/product-pages.tsx";
import { type RefundPageDependencies, refundPages } from "./routes/refund-pages.tsx";
import { type SalesPageDependencies, salesPages } from "./routes/sales-pages.tsx";
import { settingsPages } from "./routes/settings-pages.tsx";
import { type SetupPageDependencies, setupPages } from "./routes/setup-pages.tsx";
import { type TeamPageDependencies, teamPages } from "./routes/team-pages.tsx";
import { type WebhookPageDependencies, webhookPages } from "./routes/webhook-pages.tsx";
import { sameOriginOnly } from "./same-origin.tsx";
import { SessionCookie } from "./session-cookie.ts";
import type { WebEnv } from "./web-env.ts";
import { WebSessionGuard } from "./web-session-guard.tsx";

type Internal = "clock" | "cookie" | "guard" | "sameOrigin" | "oncePerForm";

/** What the pages need besides the use cases the JSON API already has. */
export type WebSettings = {
  /** The JWT secret: the key of the pages' CSRF tokens is derived from it. */
  readonly sessionSecret: string;
  /**
   * TRUST_PROXY: whether this request came through a trusted proxy, so that its X-Forwarded-Proto and
   * X-Forwarded-Host are believed (for Secure cookies and origin checks).
   */
  readonly trustProxy: (c: Context) => boolean;
  /** The API's Idempotency-Key store, which also keeps a payment form from being sent twice. */
  readonly idempotencyStore: IdempotencyStore;
  readonly clock: Clock;
};

export type WebDependencies = Omit<AuthPageDependencies, Internal> &
  Omit<SetupPageDependencies, Internal> &
  Omit<DashboardPageDependencies, Internal> &
  Omit<TeamPageDependencies, Internal> &
  Omit<WebhookPageDependencies, Internal> &
  Omit<RefundPageDependencies, Internal> &
  Omit<SalesPageDependencies, Internal> &
  Omit<PayoutPageDependencies, Internal> &
  Omit<ProductPageDependencies, Internal> &
  Omit<LookupPageDependencies, Internal> & {
    readonly authenticate: Authenticate;
    readonly web: WebSettings;
  };

/**
 * The browser front: server-rendered pages (Hono JSX, no build step) on the same use cases as the JSON API,
 * with the session in a cookie. Every route is registered with its own guards, never with a wildcard
 * middleware, so that mounting these pages at "/" changes nothing for the API's routes.
 */
export function webRoutes(deps: WebDependencies): Hono<WebEnv> {
  const { web: settings } = deps;
  const cookie = new SessionCookie(settings.trustProxy);
  const guard = new WebSessionGuard({
    authenticate: deps.authenticate,
    cookie,
    csrf: new CsrfTokens(settings.sessionSecret),
  });
  const shared = {
    guard,
    sameOrigin: sameOriginOnly(settings.trustProxy),
    oncePerForm: new OncePerForm({ store: settings.idempotencyStore, clock: settings.clock }),
  };

  const web = new Hono<WebEnv>();
  web.route("/", authPages({ ...deps, ...shared, clock: settings.clock, cookie }));
  web.route("/", setupPages({ ...deps, ...shared }));
  web.route("/", dashboardPages({ ...deps, ...shared }));
  web.route("/", salesPages({ ...deps, ...shared, clock: settings.clock }));
  web.route("/", payoutPages({ ...deps, ...shared }));
  web.route("/", productPages({ ...deps, ...shared }));
  web.route("/", settingsPages({ ...deps, ...shared }));
  web.route("/", teamPages({ ...deps, ...shared }));
  web.route("/", webhookPages({ ...deps, ...shared }));
  web.route("/", refundPages({ ...deps, ...shared }));
  web.route("/", lookupPages({ ...deps, ...shared }));

  web.onError((error, c) => {
    if (error instanceof HTTPException && error.status < 500) {
      return htmlPage(
        c,
        <MessagePage
          title="Request not understood"
          message="The form could not be read. Go back, reload the page and try again."
          link={{ href: "/dashboard", text: "Back to PayMe" }}
        />,
        400,
      );
    }
    c.var.log.error({ err: error, path: redactedPath(c) }, "unhandled error on a page");
    return htmlPage(
      c,
      <MessagePage
        title="Something went wrong"
        message="Something went wrong on our side. It has been logged; try again in a moment."
        link={{ href: "/dashboard", text: "Back to PayMe" }}
      />,
      500,
    );
  });
  return web;
}

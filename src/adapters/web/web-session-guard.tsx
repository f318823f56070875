import type { MiddlewareHandler } from "hono";
import type { Authenticate } from "../../application/accounts/authenticate.ts";
import { problemResponse } from "../http/problem.ts";
import { CsrfTokens } from "./csrf-tokens.ts";
import { FormValues } from "./form-values.ts";
import { htmlPage } from "./html-page.ts";
import { MessagePage } from "./pages/message-page.tsx";
import { safeNext } from "./safe-next.ts";
import type { SessionCookie } from "./session-cookie.ts";
import type { WebEnv } from "./web-env.ts";

export type WebSessionDependencies = {
  readonly authenticate: Authenticate;
  readonly cookie: SessionCookie;
  readonly csrf: CsrfTokens;
};

/**
 * The browser's sign-in, from its cookie, checked by the same Authenticate use case as a bearer token (ours,
 * unexpired, for a user who still exists). The JSON API never reads the cookie, and the pages never read the
 * Authorization header.
 */
export class WebSessionGuard {
  constructor(private readonly deps: WebSessionDependencies) {}

  /** A page: without a valid session, the browser is sent to sign in and brought back here afterwards. */
  readonly page: MiddlewareHandler<WebEnv> = async (c, next) => {
    if (!(await this.establish(c))) {
      if (this.deps.cookie.read(c) !== undefined) {
        this.deps.cookie.clear(c); // expired, forged, or of a deleted user
      }
      const here = c.req.method === "GET" ? safeNext(`${c.req.path}${new URL(c.req.url).search}`) : null;
      return c.redirect(here === null ? "/sign-in" : `/sign-in?next=${encodeURIComponent(here)}`, 303);
    }
    await next();
  };

  /** A page's status endpoint: 401 without a session, 403 without the session's CSRF token in its header. */
  readonly statusEndpoint: MiddlewareHandler<WebEnv> = async (c, next) => {
    c.header("Cache-Control", "no-store");
    if (!(await this.establish(c))) {
      return problemResponse(c, {
        status: 401,
        code: "unauthorized",
        title: "Signed out",
        detail: "Your session has ended. Sign in again.",
      });
    }
    const site = c.req.header("sec-fetch-site");
    const token = c.req.header(CsrfTokens.HEADER);
    if (
      (site !== undefined && site !== "same-origin") ||
      !this.deps.csrf.matches(c.var.session.token, token)
    ) {
      return problemResponse(c, {
        status: 403,
        code: "forbidden",
        title: "Forbidden",
        detail: "Send the page's CSRF token in X-CSRF-Token.",
      });
    }
    await next();
  };

  /** A signed-in form post: the `_csrf` field must be this session's token. Mount after `page`. */
  readonly formToken: MiddlewareHandler<WebEnv> = async (c, next) => {
    const form = await FormValues.of(c);
    if (!this.deps.csrf.matches(c.var.session.token, form.text(CsrfTokens.FIELD))) {
      c.var.log.warn({ path: c.req.path }, "form post without a valid CSRF token refused");
      return htmlPage(
        c,
        <MessagePage
          title="Form expired"
          message="This form has expired or did not come from your PayMe session, so nothing was done. Go back, reload the page and try again."
          session={c.var.session}
          link={{ href: "/dashboard", text: "Back to the dashboard" }}
        />,
        403,
      );
    }
    await next();
  };

  private async establish(c: Parameters<MiddlewareHandler<WebEnv>>[0]): Promise<boolean> {
    const token = this.deps.cookie.read(c);
    if (token === undefined) {
      return false;
    }
    const authenticated = await this.deps.authenticate.execute(token);
    // The cookie only ever holds a user's JWT: an API key is no browser session.
    if (!authenticated.ok || authenticated.value.user === null || authenticated.value.actor.kind !== "user") {
      return false;
    }
    const { user, actor } = authenticated.value;
    c.set("session", { user, actor, token, csrfToken: this.deps.csrf.tokenFor(token) });
    c.set("user", user);
    c.set("actor", actor);
    const actorLog = { credential: "jwt" as const, userId: user.id };
    c.set("actorLog", actorLog);
    c.set("log", c.var.log.child(actorLog));
    return true;
  }
}

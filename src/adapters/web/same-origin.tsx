import type { Context, MiddlewareHandler } from "hono";
import { htmlPage } from "./html-page.ts";
import { MessagePage } from "./pages/message-page.tsx";
import type { WebEnv } from "./web-env.ts";

/**
 * The first CSRF check, on every form post of the pages: the browser must say the request comes from a PayMe
 * page. `Sec-Fetch-Site` (sent by every current browser) must be `same-origin`; without it, `Origin` must name
 * this host. A request with neither is refused, as a cross-site form post would be. Signed-in forms also
 * carry the session's CSRF token (see CsrfTokens); this check alone guards sign-in and sign-up, whose forms
 * have no session yet (against login CSRF).
 */
export function sameOriginOnly(trustProxy: (c: Context) => boolean): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (!isSameOrigin(c, trustProxy)) {
      c.var.log.warn({ path: c.req.path }, "cross-site form post refused");
      return htmlPage(
        c,
        <MessagePage
          title="Form refused"
          message="This form did not come from a PayMe page, so it was not sent. Open PayMe and try again from there."
          link={{ href: "/dashboard", text: "Open PayMe" }}
        />,
        403,
      );
    }
    await next();
  };
}

function isSameOrigin(c: Context<WebEnv>, trustProxy: (c: Context) => boolean): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site !== undefined) {
    return site === "same-origin";
  }
  const origin = c.req.header("origin");
  if (origin === undefined || origin === "null") {
    return false;
  }
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  const hosts = [new URL(c.req.url).host];
  const forwardedHost = c.req.header("x-forwarded-host")?.split(",")[0]?.trim();
  if (forwardedHost !== undefined && forwardedHost !== "" && trustProxy(c)) {
    hosts.push(forwardedHost);
  }
  return hosts.includes(originHost);
}

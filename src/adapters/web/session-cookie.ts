import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

const NAME = "payme_session";

/**
 * The browser session: the sign-in JWT (the same one the JSON API hands out) in an HttpOnly, SameSite=Lax
 * cookie, so page scripts never see it and other sites' forms and images never carry it.
 *
 * The cookie is marked Secure unless the page was opened on a loopback host (localhost, *.localhost,
 * 127.x.x.x, [::1]) over plain http. A browser keeps no Secure cookie from a plain-http page elsewhere,
 * so PayMe must be served over https anywhere but the developer's own machine. A request that came over
 * https (or, with TRUST_PROXY, says so in X-Forwarded-Proto) is always Secure, even when a proxy rewrote its
 * Host to localhost.
 */
export class SessionCookie {
  constructor(private readonly trustProxy: (c: Context) => boolean) {}

  read(c: Context): string | undefined {
    const value = getCookie(c, NAME);
    return value === undefined || value === "" ? undefined : value;
  }

  write(c: Context, token: string, expiresAt: Date, now: Date): void {
    setCookie(c, NAME, token, {
      httpOnly: true,
      sameSite: "Lax",
      secure: this.isSecure(c),
      path: "/",
      maxAge: Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)),
    });
  }

  clear(c: Context): void {
    deleteCookie(c, NAME, { httpOnly: true, sameSite: "Lax", secure: this.isSecure(c), path: "/" });
  }

  /** Whether the cookie is marked Secure: see the class comment. */
  isSecure(c: Context): boolean {
    return this.overHttps(c) || !isLoopback(new URL(c.req.url).hostname);
  }

  /** True when a browser will not keep the (Secure) cookie: plain http on a host other than loopback. */
  cannotKeepSession(c: Context): boolean {
    return !this.overHttps(c) && !isLoopback(new URL(c.req.url).hostname);
  }

  private overHttps(c: Context): boolean {
    if (new URL(c.req.url).protocol === "https:") {
      return true;
    }
    const forwarded = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
    return forwarded === "https" && this.trustProxy(c);
  }
}

function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { CONTENT_SECURITY_POLICY } from "./assets/content-security-policy.ts";

type Page = Parameters<Context["html"]>[0];

/**
 * A rendered page with the headers every page carries: the strict Content-Security-Policy, no caching (pages
 * show balances and payments, and must not be served from the back/forward cache to the next person at the
 * phone), no framing and no MIME sniffing.
 */
export function htmlPage(
  c: Context,
  page: Page,
  status: ContentfulStatusCode = 200,
): Response | Promise<Response> {
  c.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  c.header("Cache-Control", "no-store");
  c.header("X-Frame-Options", "DENY");
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "same-origin");
  return c.html(page, status);
}

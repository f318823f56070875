import type { Context } from "hono";

/** Masks the callback tokens in a request path. */
export type PathRedactor = (path: string) => string;

/** What a token is replaced by. */
export const REDACTED_TOKEN = "[token]";

/**
 * The routes whose last segment is a callback token (or, for invitations, the invitation's token), wherever MPESA_CALLBACK_URL points: B2C, Transaction
 * Status, Reversal and Account Balance results and timeouts, and C2B confirmations and validations.
 */
const TOKEN_ROUTES = [
  "/api/mpesa/callback",
  "/api/mpesa/b2c/result",
  "/api/mpesa/b2c/timeout",
  "/api/mpesa/status/result",
  "/api/mpesa/status/timeout",
  "/api/mpesa/reversal/result",
  "/api/mpesa/reversal/timeout",
  "/api/mpesa/reversal/status/result",
  "/api/mpesa/reversal/status/timeout",
  "/api/mpesa/balance/result",
  "/api/mpesa/balance/timeout",
  "/hooks/c2b/confirmation",
  "/hooks/c2b/validation",
  // Not a callback, but its last segments are a secret too: an invitation's token.
  "/api/invitations",
];

/** The net under the routes: any segment after one of these words, as callback URLs are built. */
const AFTER_CALLBACK_WORD = /(\/(?:callback|result|timeout|confirmation|validation)\/)[^/?#]+/gi;

const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A redactor for the given callback receiver paths (the seed's and that of MPESA_CALLBACK_URL, which may be any
 * path, e.g. `/hooks/stk`): everything after one of them, or after a fixed token route, becomes `[token]`,
 * however many segments follow, in any letter case. Callback URLs carry a per-payment secret, which must never
 * reach a log line, a stored path or a response.
 */
export function pathRedactor(callbackPaths: readonly string[]): PathRedactor {
  const bases = [...new Set([...TOKEN_ROUTES, ...callbackPaths.map((p) => p.replace(/\/+$/, ""))])]
    .filter((base) => base !== "")
    // The longest first, so that `/a/b` wins over `/a` when both are receivers.
    .sort((a, b) => b.length - a.length);
  const underBase = new RegExp(`^(${bases.map(literally).join("|")})/[^?#]+`, "i");
  return (path) =>
    path.replace(underBase, `$1/${REDACTED_TOKEN}`).replace(AFTER_CALLBACK_WORD, `$1${REDACTED_TOKEN}`);
}

/** The redactor for the seed's receiver and the fixed token routes, where no other receiver path is known. */
export const redactPath: PathRedactor = pathRedactor([]);

/** The request's path, masked by the app's redactor (which knows MPESA_CALLBACK_URL's path), or by the default. */
export function redactedPath(c: Context): string {
  // Masked once per request: a callback's route stores it, and its request line logs it.
  const known: unknown = c.get("redactedPath");
  if (typeof known === "string") {
    return known;
  }
  const redactor: unknown = c.get("redactPath");
  const masked = typeof redactor === "function" ? String(redactor(c.req.path)) : redactPath(c.req.path);
  c.set("redactedPath", masked);
  return masked;
}

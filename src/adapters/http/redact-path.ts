/**
 * The path of a request with every callback token masked. Callback URLs carry a per-payment secret
 * (`…/callback/<token>`, `…/b2c/result/<token>`), which must never reach a log line or a response.
 */
export function redactPath(path: string): string {
  return path.replace(/(\/(?:callback|result|timeout)\/)[^/?#]+/g, "$1[token]");
}

import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Per-session CSRF tokens: HMAC-SHA256 of the session's JWT under a key derived from the server's JWT secret.
 * Every signed-in form carries one in `_csrf`, and every status request in `X-CSRF-Token`. Another site can
 * neither read the HttpOnly cookie nor compute the token without the key, so it cannot forge either. The token
 * changes with every sign-in and dies with the session; nothing is stored on the server.
 */
export class CsrfTokens {
  static readonly FIELD = "_csrf";
  static readonly HEADER = "X-CSRF-Token";

  private readonly key: Buffer;

  constructor(secret: string) {
    // A key of its own, so that a CSRF token can never be mistaken for (or help forge) a JWT signature.
    this.key = createHmac("sha256", secret).update("payme web csrf v1").digest();
  }

  tokenFor(sessionToken: string): string {
    return createHmac("sha256", this.key).update(sessionToken).digest("base64url");
  }

  matches(sessionToken: string, candidate: unknown): boolean {
    if (typeof candidate !== "string" || candidate === "") {
      return false;
    }
    const expected = Buffer.from(this.tokenFor(sessionToken));
    const given = Buffer.from(candidate);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

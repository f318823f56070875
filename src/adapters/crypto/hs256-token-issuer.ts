import { createHmac, timingSafeEqual } from "node:crypto";
import {
  createJWTSignatureMessage,
  encodeJWT,
  JWSRegisteredHeaders,
  JWTRegisteredClaims,
  parseJWT,
} from "@oslojs/jwt";
import type { Clock } from "../../application/ports/clock.ts";
import type { TokenClaims, TokenIssuer } from "../../application/ports/token-issuer.ts";

export const MIN_JWT_SECRET_BYTES = 32;

/**
 * HS256 JWTs with `sub` (the user id), `iat`, `exp` and `jti` (a random UUID, the token's own id, by which it is
 * revoked). Verification accepts only HS256 with our key: `alg: none`, any other algorithm, a bad signature, a
 * malformed token, an expired one and one without all four claims are refused.
 */
export class Hs256TokenIssuer implements TokenIssuer {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {
    this.key = new TextEncoder().encode(secret);
    if (this.key.byteLength < MIN_JWT_SECRET_BYTES) {
      throw new Error(`the JWT secret must be at least ${MIN_JWT_SECRET_BYTES} bytes`);
    }
  }

  async issue(
    userId: string,
    options: { readonly notBefore?: Date | null } = {},
  ): Promise<{ token: string; expiresAt: Date }> {
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    const notBefore = options.notBefore ?? null;
    const issuedAtSeconds =
      notBefore === null ? nowSeconds : Math.max(nowSeconds, Math.ceil(notBefore.getTime() / 1000));
    const expiresAtSeconds = issuedAtSeconds + this.ttlSeconds;
    const header = JSON.stringify({ alg: "HS256", typ: "JWT" });
    const payload = JSON.stringify({
      sub: userId,
      iat: issuedAtSeconds,
      exp: expiresAtSeconds,
      jti: crypto.randomUUID(),
    });
    const signature = this.sign(createJWTSignatureMessage(header, payload));
    return { token: encodeJWT(header, payload, signature), expiresAt: new Date(expiresAtSeconds * 1000) };
  }

  /**
   * HMAC-SHA256 by Node's crypto: every authenticated request verifies a token, and the JavaScript HMAC of
   * @oslojs/crypto cost several times as much CPU.
   */
  private sign(message: Uint8Array): Uint8Array {
    return createHmac("sha256", this.key).update(message).digest();
  }

  async verify(token: string): Promise<TokenClaims | null> {
    let parts: ReturnType<typeof parseJWT>;
    try {
      parts = parseJWT(token);
    } catch {
      return null;
    }
    const [header, payload, signature, message] = parts;
    const headers = new JWSRegisteredHeaders(header);
    if (!headers.hasAlgorithm() || headers.algorithm() !== "HS256") {
      return null;
    }
    const expected = this.sign(message);
    if (signature.byteLength !== expected.byteLength || !timingSafeEqual(signature, expected)) {
      return null;
    }
    const claims = new JWTRegisteredClaims(payload);
    try {
      if (!claims.hasSubject() || !claims.hasExpiration() || !claims.hasIssuedAt() || !claims.hasJWTId()) {
        return null;
      }
      const expiresAt = claims.expiration();
      if (expiresAt.getTime() <= this.clock.now().getTime()) {
        return null;
      }
      return { userId: claims.subject(), tokenId: claims.jwtId(), issuedAt: claims.issuedAt(), expiresAt };
    } catch {
      // A claim of the wrong type (a numeric `sub`, a string `exp`) makes the token invalid.
      return null;
    }
  }
}

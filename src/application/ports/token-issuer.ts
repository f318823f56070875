/** What a valid sign-in token says: whose it is, its own id, and when it was issued and expires. */
export type TokenClaims = {
  readonly userId: string;
  /** The token's `jti`: signing out revokes this id. */
  readonly tokenId: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
};

/** Sign-in tokens (HS256 JWTs carrying `sub`, `iat`, `exp` and `jti`). */
export interface TokenIssuer {
  /**
   * A new token for the user, with a fresh id, issued now (in whole seconds) or at `notBefore` if that is later:
   * the user's tokens count again only from the second after their last password change, and a token issued
   * within that second must not be refused.
   */
  issue(
    userId: string,
    options?: { readonly notBefore?: Date | null },
  ): Promise<{ token: string; expiresAt: Date }>;
  /**
   * The token's claims; null when the token is malformed, forged, of another algorithm, expired, or lacks any of
   * `sub`, `iat`, `exp` and `jti`. Whether it was revoked is the user repository's to say.
   */
  verify(token: string): Promise<TokenClaims | null>;
}

/** Sign-in tokens (HS256 JWTs carrying `sub` and `exp`). */
export interface TokenIssuer {
  issue(userId: string): Promise<{ token: string; expiresAt: Date }>;
  /** The user id the token was issued for; null when the token is malformed, forged, of another algorithm or expired. */
  verify(token: string): Promise<string | null>;
}

/** How a secret is known again without storing it: its SHA-256, hex. */
export type HashedSecret = { readonly secret: string; readonly hash: string };

/**
 * Random secrets for API keys and invitation links. A high-entropy secret is stored only as its SHA-256 (a slow
 * password hash would buy nothing against guessing 32 random bytes).
 */
export interface AccessSecrets {
  /** `sk_test_` or `sk_live_` followed by 32 random bytes in base62 (43 characters). */
  newApiKey(live: boolean): HashedSecret;
  /** 32 random bytes, base62: the token of an invitation link. */
  newInvitationToken(): HashedSecret;
  hashOf(secret: string): string;
}

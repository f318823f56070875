/**
 * The secret tokens in per-payment callback URLs. Only the hash is stored: a token identifies its payment by
 * itself, and a database leak does not reveal the URLs that would be trusted.
 */
export interface CallbackSecrets {
  /** A fresh random token (URL-safe) and its hash. */
  issue(): { readonly token: string; readonly hash: string };
  /** A fresh random token in lowercase hex (for URLs whose words Daraja screens, as C2B's) and its hash. */
  issueHex(): { readonly token: string; readonly hash: string };
  /** The hash under which a token's payment was stored. */
  hashOf(token: string): string;
}

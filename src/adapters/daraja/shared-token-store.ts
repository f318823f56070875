/** An OAuth token as instances share it: the token, and when Daraja said it expires. */
export type SharedToken = { readonly accessToken: string; readonly expiresAt: Date };

/**
 * Where instances that use one Daraja app keep its current OAuth token, so that one instance's new token (which
 * ends the previous one, as Daraja documents) is the token every instance uses next. `appKey` is a digest of
 * the app's consumer key and secret and the Daraja environment: never the key or secret themselves.
 *
 * Neither method throws: a store that cannot be reached reads as empty and drops a save, so that payments go on
 * with the instance's own token.
 */
export interface SharedTokenStore {
  /** The app's stored token, or null (none, expired, unreadable, or the store unreachable). */
  load(appKey: string): Promise<SharedToken | null>;
  /** Replaces the app's stored token. */
  save(appKey: string, token: SharedToken): Promise<void>;
}

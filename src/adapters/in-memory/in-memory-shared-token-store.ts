import type { SharedToken, SharedTokenStore } from "../daraja/shared-token-store.ts";

/** Tokens shared within this process only: for the in-memory adapters (one instance, no database). */
export class InMemorySharedTokenStore implements SharedTokenStore {
  // One entry per Daraja app this process uses, replaced in place: bounded by the apps, like the token cache.
  private readonly tokens = new Map<string, SharedToken>();

  load(appKey: string): Promise<SharedToken | null> {
    return Promise.resolve(this.tokens.get(appKey) ?? null);
  }

  /** Replaces the app's token, unless the stored one outlives it (as the database's does). */
  save(appKey: string, token: SharedToken): Promise<void> {
    const stored = this.tokens.get(appKey);
    if (stored === undefined || stored.expiresAt.getTime() <= token.expiresAt.getTime()) {
      this.tokens.set(appKey, token);
    }
    return Promise.resolve();
  }
}

import { createHash } from "node:crypto";
import type { Clock } from "../../application/ports/clock.ts";
import type { DarajaApp, GatewayFailure } from "../../application/ports/payment-gateway.ts";
import { ok, type Result } from "../../domain/result.ts";
import type { SharedTokenStore } from "./shared-token-store.ts";

/** A token as Daraja issued it. */
export type IssuedToken = { readonly accessToken: string; readonly expiresInSeconds: number };

/** Asks Daraja for a new token for an app. */
export type TokenFetcher = (app: DarajaApp) => Promise<Result<IssuedToken, GatewayFailure>>;

type CachedToken = { readonly accessToken: string; readonly refreshAt: number };

/**
 * One OAuth token per Daraja app, kept until shortly before it expires.
 *
 * - Refreshed `refreshMarginMs` ahead of expiry (at most half the token's life ahead, for short-lived tokens).
 * - Single flight: callers that need a token while one is being fetched for the same app share that request.
 * - A failed fetch is not cached; the next caller tries again.
 * - With a shared store (several instances on one database), a token is first looked for there, and every new
 *   one is put there: Daraja ends an app's previous token when it issues a new one, so instances that each
 *   fetched their own would knock each other's out. A token Daraja refused is never taken from the store
 *   again; the next one fetched replaces it there.
 * Apps are told apart by consumer key and a digest of the secret, so a wrong secret never borrows the token
 * that the right one obtained; in the store, also by `scope` (the Daraja environment's base URL).
 */
export class OAuthTokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<Result<string, GatewayFailure>>>();
  /** The last token Daraja refused, per app: one entry per app, as for `tokens`. */
  private readonly refused = new Map<string, string>();

  constructor(
    private readonly fetchToken: TokenFetcher,
    private readonly clock: Clock,
    private readonly refreshMarginMs: number,
    private readonly shared: { readonly store: SharedTokenStore; readonly scope: string } | null = null,
  ) {}

  /** A token valid for a while yet, from the cache or a fresh (shared) request. */
  token(app: DarajaApp): Promise<Result<string, GatewayFailure>> {
    const key = cacheKey(app);
    const cached = this.tokens.get(key);
    if (cached !== undefined && this.clock.now().getTime() < cached.refreshAt) {
      return Promise.resolve(ok(cached.accessToken));
    }
    const pending = this.inFlight.get(key);
    if (pending !== undefined) {
      return pending;
    }
    const fetching = this.fetch(app, key).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, fetching);
    return fetching;
  }

  /**
   * Forgets a token Daraja refused. Only that token: if another caller already replaced it, the newer one stays.
   */
  invalidate(app: DarajaApp, accessToken: string): void {
    const key = cacheKey(app);
    this.refused.set(key, accessToken);
    if (this.tokens.get(key)?.accessToken === accessToken) {
      this.tokens.delete(key);
    }
  }

  private async fetch(app: DarajaApp, key: string): Promise<Result<string, GatewayFailure>> {
    const appKey = this.shared === null ? null : sharedKey(app, this.shared.scope);
    if (this.shared !== null && appKey !== null) {
      const stored = await this.shared.store.load(appKey);
      const now = this.clock.now().getTime();
      if (stored !== null && stored.accessToken !== this.refused.get(key)) {
        const expiresAt = stored.expiresAt.getTime();
        // The margin is taken of the life left, as for a token fetched here.
        const refreshAt = expiresAt - Math.min(this.refreshMarginMs, Math.max(0, expiresAt - now) / 2);
        if (now < refreshAt) {
          this.tokens.set(key, { accessToken: stored.accessToken, refreshAt });
          return ok(stored.accessToken);
        }
      }
    }
    // Measured before the request: the token's life may have started any time after this.
    const requestedAt = this.clock.now().getTime();
    const issued = await this.fetchToken(app);
    if (!issued.ok) {
      return issued;
    }
    const lifetimeMs = Math.max(0, issued.value.expiresInSeconds * 1000);
    const margin = Math.min(this.refreshMarginMs, lifetimeMs / 2);
    this.tokens.set(key, {
      accessToken: issued.value.accessToken,
      refreshAt: requestedAt + lifetimeMs - margin,
    });
    if (this.shared !== null && appKey !== null) {
      await this.shared.store.save(appKey, {
        accessToken: issued.value.accessToken,
        expiresAt: new Date(requestedAt + lifetimeMs),
      });
    }
    return ok(issued.value.accessToken);
  }
}

/**
 * The app's key in a shared store: a digest of its consumer key, a digest of its secret and the environment, so
 * that the table names no app and a sandbox token is never offered to production.
 */
export function sharedKey(app: DarajaApp, scope: string): string {
  const secretDigest = createHash("sha256").update(app.consumerSecret).digest("base64url");
  return createHash("sha256").update(`${scope}\u0000${app.consumerKey}\u0000${secretDigest}`).digest("hex");
}

function cacheKey(app: DarajaApp): string {
  const secretDigest = createHash("sha256").update(app.consumerSecret).digest("base64url");
  return `${app.consumerKey}\u0000${secretDigest}`;
}

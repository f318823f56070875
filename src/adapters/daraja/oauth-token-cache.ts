import { createHash } from "node:crypto";
import type { Clock } from "../../application/ports/clock.ts";
import type { DarajaApp, GatewayFailure } from "../../application/ports/payment-gateway.ts";
import { ok, type Result } from "../../domain/result.ts";

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
 * Apps are told apart by consumer key and a digest of the secret, so a wrong secret never borrows the token
 * that the right one obtained.
 */
export class OAuthTokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<Result<string, GatewayFailure>>>();

  constructor(
    private readonly fetchToken: TokenFetcher,
    private readonly clock: Clock,
    private readonly refreshMarginMs: number,
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
    if (this.tokens.get(key)?.accessToken === accessToken) {
      this.tokens.delete(key);
    }
  }

  private async fetch(app: DarajaApp, key: string): Promise<Result<string, GatewayFailure>> {
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
    return ok(issued.value.accessToken);
  }
}

function cacheKey(app: DarajaApp): string {
  const secretDigest = createHash("sha256").update(app.consumerSecret).digest("base64url");
  return `${app.consumerKey}\u0000${secretDigest}`;
}

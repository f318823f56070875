import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export type AuthRateLimits = {
  /** Sign-in and sign-up attempts one client address may make per window. */
  readonly perAddress: number;
  /** Failed attempts (wrong password, taken email) one email may see per window. */
  readonly perEmail: number;
  readonly windowSeconds: number;
};

export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * Limits sign-in and sign-up per client address (every attempt counts) and per email (failures count),
 * so that neither one address nor one targeted account can be guessed at. Counters live in this process.
 */
export class AuthRateLimiter {
  private readonly byAddress: RateLimiterMemory;
  private readonly byEmail: RateLimiterMemory;

  constructor(private readonly limits: AuthRateLimits) {
    this.byAddress = new RateLimiterMemory({
      keyPrefix: "auth-address",
      points: limits.perAddress,
      duration: limits.windowSeconds,
    });
    this.byEmail = new RateLimiterMemory({
      keyPrefix: "auth-email",
      points: limits.perEmail,
      duration: limits.windowSeconds,
    });
  }

  /** Counts one attempt from `address`, and refuses it when the address or the email has used up its window. */
  async attempt(address: string, email: string | null): Promise<RateDecision> {
    try {
      await this.byAddress.consume(address);
    } catch (rejection) {
      return refused(rejection);
    }
    if (email !== null) {
      const failures = await this.byEmail.get(normaliseEmail(email));
      if (failures !== null && failures.consumedPoints >= this.limits.perEmail) {
        return { allowed: false, retryAfterSeconds: Math.ceil(failures.msBeforeNext / 1000) };
      }
    }
    return { allowed: true };
  }

  async recordFailure(email: string): Promise<void> {
    try {
      await this.byEmail.consume(normaliseEmail(email));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) {
        throw rejection;
      }
      // Over the limit already: the next attempt is refused; nothing more to count.
    }
  }

  async recordSuccess(email: string): Promise<void> {
    await this.byEmail.delete(normaliseEmail(email));
  }
}

function refused(rejection: unknown): RateDecision {
  if (rejection instanceof RateLimiterRes) {
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
  }
  throw rejection;
}

const normaliseEmail = (email: string) => email.trim().toLowerCase();

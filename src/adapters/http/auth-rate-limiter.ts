import { createHash } from "node:crypto";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { rateLimitBucket } from "./client-address.ts";

export type AuthRateLimits = {
  /** Sign-in and sign-up attempts one client address (an IPv6 /64) may make per window. */
  readonly perAddress: number;
  /** Failed attempts (wrong password, taken email) on one account from one address per window. */
  readonly perAccountAndAddress: number;
  /** Failed attempts on one account from all addresses together per window: much higher than the above. */
  readonly perAccount: number;
  readonly windowSeconds: number;
};

/** Where counts are kept: builds one counter of `points` per `duration` seconds under `keyPrefix`. */
export type RateLimitStore = (options: {
  readonly keyPrefix: string;
  readonly points: number;
  readonly duration: number;
}) => RateLimiterAbstract;

/** Counts kept in this process only: for the in-memory adapters (no database). */
export const memoryRateLimitStore: RateLimitStore = (options) => new RateLimiterMemory({ ...options });

/** An attempt that was counted, with the keys to give back if it turns out not to have been a wrong guess. */
export type CountedAttempt = {
  readonly accountAndAddressKey: string | null;
  readonly accountKey: string | null;
};

export type RateDecision =
  | { readonly allowed: true; readonly attempt: CountedAttempt }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/** How a counted attempt ended. */
export type AttemptOutcome =
  /** A wrong guess (wrong password, or an email that is taken): it stays counted. */
  | "failed"
  /** The right password: the account's count from this address starts again. */
  | "succeeded"
  /** No password was judged (invalid input, the hashing queue full, a new account made): it is given back. */
  | "not_a_guess";

/**
 * How a use case's answer settles its counted attempt: a wrong password or a taken email stays counted, the
 * right password starts the account's count from this address again, anything else is given back.
 */
export function attemptOutcome(
  result: { ok: true } | { ok: false; error: { type: string } },
): AttemptOutcome {
  if (result.ok) {
    return "succeeded";
  }
  return result.error.type === "invalid_credentials" || result.error.type === "email_taken"
    ? "failed"
    : "not_a_guess";
}

/**
 * Limits sign-in, sign-up and password changes so that neither one address nor a crowd of addresses can guess at
 * an account, and nobody can lock a user out by failing from elsewhere:
 * - per address: every attempt counts;
 * - per account and address: failures count, so a person's own address is not blocked by an attacker's failures;
 * - per account: failures from all addresses together, at a much higher limit, against a spread-out attack.
 *
 * Every count is taken before the password is hashed, by an atomic increment in the store (one `INSERT … ON
 * CONFLICT … RETURNING` on PostgreSQL), so concurrent attempts cannot pass a limit: an attempt that does not turn
 * out to be a failure gives its account counts back afterwards. Keys are SHA-256 digests, so the table holds no
 * email or address and no key outgrows its column whatever a header said.
 */
export class AuthRateLimiter {
  private readonly byAddress: RateLimiterAbstract;
  private readonly byAccountAndAddress: RateLimiterAbstract;
  private readonly byAccount: RateLimiterAbstract;

  constructor(limits: AuthRateLimits, store: RateLimitStore = memoryRateLimitStore) {
    const duration = limits.windowSeconds;
    this.byAddress = store({ keyPrefix: "auth-address", points: limits.perAddress, duration });
    this.byAccountAndAddress = store({
      keyPrefix: "auth-account-address",
      points: limits.perAccountAndAddress,
      duration,
    });
    this.byAccount = store({ keyPrefix: "auth-account", points: limits.perAccount, duration });
  }

  /**
   * Counts one attempt from `address` on the account `email` (null when there is none to count, such as a body
   * without an email): refused when any limit is used up, and then nothing more is counted for the account.
   */
  async attempt(address: string, email: string | null): Promise<RateDecision> {
    const bucket = rateLimitBucket(address);
    const byAddress = await consumed(this.byAddress, digest(bucket));
    if (!byAddress.allowed) {
      return byAddress;
    }
    if (email === null) {
      return { allowed: true, attempt: { accountAndAddressKey: null, accountKey: null } };
    }
    const account = normaliseEmail(email);
    const accountAndAddressKey = digest(`${account}\n${bucket}`);
    const fromHere = await consumed(this.byAccountAndAddress, accountAndAddressKey);
    if (!fromHere.allowed) {
      return fromHere;
    }
    const accountKey = digest(account);
    const overall = await consumed(this.byAccount, accountKey);
    if (!overall.allowed) {
      // The attempt goes no further, so it is no failure from this address.
      await this.byAccountAndAddress.reward(accountAndAddressKey, 1);
      return overall;
    }
    return { allowed: true, attempt: { accountAndAddressKey, accountKey } };
  }

  /** Settles a counted attempt: see AttemptOutcome. */
  async settle(attempt: CountedAttempt, outcome: AttemptOutcome): Promise<void> {
    const { accountAndAddressKey, accountKey } = attempt;
    if (outcome === "failed" || accountAndAddressKey === null || accountKey === null) {
      return;
    }
    if (outcome === "succeeded") {
      await this.byAccountAndAddress.delete(accountAndAddressKey);
    } else {
      await this.byAccountAndAddress.reward(accountAndAddressKey, 1);
    }
    await this.byAccount.reward(accountKey, 1);
  }
}

async function consumed(
  limiter: RateLimiterAbstract,
  key: string,
): Promise<{ readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number }> {
  try {
    await limiter.consume(key, 1);
    return { allowed: true };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
    throw rejection;
  }
}

const digest = (value: string) => createHash("sha256").update(value).digest("base64url");

const normaliseEmail = (email: string) => email.trim().toLowerCase();

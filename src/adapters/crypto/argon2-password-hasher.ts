import { availableParallelism } from "node:os";
import { hash, type Options, verify } from "@node-rs/argon2";
import pLimit, { type LimitFunction } from "p-limit";
import type { PasswordHasher } from "../../application/ports/password-hasher.ts";
import type { Busy } from "../../application/shared/application-errors.ts";
import type { Password } from "../../domain/password.ts";
import { err, ok, type Result } from "../../domain/result.ts";

/**
 * OWASP's argon2id recommendation: 19 MiB of memory, 2 iterations, 1 lane. `algorithm: 2` is
 * Algorithm.Argon2id (a const enum, which isolated modules cannot import).
 */
export const OWASP_ARGON2ID: Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * Hashes running at once: every core but one, so that a storm of sign-ins leaves a core to the event loop
 * (on 2 cores, /health answered in 50 ms at p99 during one with four hashes at once; see `npm run bench`).
 */
export const DEFAULT_HASH_CONCURRENCY = Math.max(1, availableParallelism() - 1);

/** Hashes allowed to wait for a free slot (AUTH_HASH_QUEUE_MAX). */
export const DEFAULT_HASH_QUEUE_MAX = 64;

/**
 * How long a client turned away with `busy` is asked to wait: a full queue of 64 drains in about a second and
 * a half on one hashing core (some 22 ms a hash).
 */
const BUSY_RETRY_AFTER_SECONDS = 2;

const busy: Busy = { type: "busy", retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS };

/**
 * argon2id via @node-rs/argon2, which hashes on libuv's thread pool, off the event loop. At most `concurrency`
 * hashes run at once and at most `queueMax` more wait their turn; past that the answer is `busy` at once, so a
 * storm of sign-ins cannot make a legitimate one wait behind hundreds of others.
 */
export class Argon2PasswordHasher implements PasswordHasher {
  private dummyHash: Promise<string> | null = null;
  private readonly limit: LimitFunction;
  /** Hashes running or waiting. */
  private inFlight = 0;

  constructor(
    private readonly options: Options = OWASP_ARGON2ID,
    private readonly concurrency: number = DEFAULT_HASH_CONCURRENCY,
    private readonly queueMax: number = DEFAULT_HASH_QUEUE_MAX,
  ) {
    this.limit = pLimit(concurrency);
  }

  hash(password: Password): Promise<Result<string, Busy>> {
    return this.queued(() => hash(password.reveal(), this.options));
  }

  verify(stored: string | null, password: Password): Promise<Result<boolean, Busy>> {
    if (stored === null) {
      // Same work as a real check, so that timing does not tell which emails have accounts.
      return this.queued(async () => {
        this.dummyHash ??= hash("payme-dummy-password-for-timing", this.options);
        await verify(await this.dummyHash, password.reveal());
        return false;
      });
    }
    return this.queued(() => verify(stored, password.reveal()));
  }

  /** Runs `work` in its turn, or answers `busy` when the queue is full. */
  private async queued<T>(work: () => Promise<T>): Promise<Result<T, Busy>> {
    if (this.inFlight >= this.concurrency + this.queueMax) {
      return err(busy);
    }
    this.inFlight += 1;
    try {
      return ok(await this.limit(work));
    } finally {
      this.inFlight -= 1;
    }
  }
}

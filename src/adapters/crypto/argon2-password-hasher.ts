import { availableParallelism } from "node:os";
import { hash, type Options, verify } from "@node-rs/argon2";
import pLimit, { type LimitFunction } from "p-limit";
import type { PasswordHasher } from "../../application/ports/password-hasher.ts";
import type { Password } from "../../domain/password.ts";

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

/**
 * argon2id via @node-rs/argon2, which hashes on libuv's thread pool, off the event loop; at most `concurrency`
 * hashes run at once and the rest wait their turn.
 */
export class Argon2PasswordHasher implements PasswordHasher {
  private dummyHash: Promise<string> | null = null;
  private readonly limit: LimitFunction;

  constructor(
    private readonly options: Options = OWASP_ARGON2ID,
    concurrency: number = DEFAULT_HASH_CONCURRENCY,
  ) {
    this.limit = pLimit(concurrency);
  }

  hash(password: Password): Promise<string> {
    return this.limit(() => hash(password.reveal(), this.options));
  }

  async verify(stored: string | null, password: Password): Promise<boolean> {
    if (stored === null) {
      // Same work as a real check, so that timing does not tell which emails have accounts.
      this.dummyHash ??= this.limit(() => hash("payme-dummy-password-for-timing", this.options));
      const dummy = await this.dummyHash;
      await this.limit(() => verify(dummy, password.reveal()));
      return false;
    }
    return this.limit(() => verify(stored, password.reveal()));
  }
}

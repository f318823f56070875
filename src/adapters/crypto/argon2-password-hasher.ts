import { hash, type Options, verify } from "@node-rs/argon2";
import type { PasswordHasher } from "../../application/ports/password-hasher.ts";
import type { Password } from "../../domain/password.ts";

/**
 * OWASP's argon2id recommendation: 19 MiB of memory, 2 iterations, 1 lane. `algorithm: 2` is
 * Algorithm.Argon2id (a const enum, which isolated modules cannot import).
 */
export const OWASP_ARGON2ID: Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** argon2id via @node-rs/argon2, which hashes on libuv's thread pool, off the event loop. */
export class Argon2PasswordHasher implements PasswordHasher {
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly options: Options = OWASP_ARGON2ID) {}

  hash(password: Password): Promise<string> {
    return hash(password.reveal(), this.options);
  }

  async verify(stored: string | null, password: Password): Promise<boolean> {
    if (stored === null) {
      // Same work as a real check, so that timing does not tell which emails have accounts.
      this.dummyHash ??= hash("payme-dummy-password-for-timing", this.options);
      await verify(await this.dummyHash, password.reveal());
      return false;
    }
    return verify(stored, password.reveal());
  }
}

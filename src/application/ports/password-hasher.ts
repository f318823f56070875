import type { Password } from "../../domain/password.ts";
import type { Result } from "../../domain/result.ts";
import type { Busy } from "../shared/application-errors.ts";

/**
 * One-way password hashing (argon2id), done off the event loop. Hashes wait in a bounded queue: when it is full,
 * the answer is `busy` at once, and nothing was hashed.
 */
export interface PasswordHasher {
  hash(password: Password): Promise<Result<string, Busy>>;
  /**
   * True when `password` matches `hash`. With a null hash (no such user) it checks against a dummy hash
   * and answers false, taking about as long as a real check, so that timing does not reveal which emails exist.
   */
  verify(hash: string | null, password: Password): Promise<Result<boolean, Busy>>;
}

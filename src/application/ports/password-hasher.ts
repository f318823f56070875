import type { Password } from "../../domain/password.ts";

/** One-way password hashing (argon2id), done off the event loop. */
export interface PasswordHasher {
  hash(password: Password): Promise<string>;
  /**
   * True when `password` matches `hash`. With a null hash (no such user) it checks against a dummy hash
   * and answers false, taking about as long as a real check, so that timing does not reveal which emails exist.
   */
  verify(hash: string | null, password: Password): Promise<boolean>;
}

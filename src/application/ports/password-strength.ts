import type { Password } from "../../domain/password.ts";
import type { Result } from "../../domain/result.ts";
import type { Busy } from "../shared/application-errors.ts";

/** How guessable a password is, judged as an attacker with lists of leaked passwords and common words would. */
export interface PasswordStrength {
  /**
   * True when `password` is among the most common ones: an attacker working down the usual lists (leaked
   * passwords, words, names, keyboard runs, dates, and `userInputs`, the owner's own details) would reach it
   * within about a million guesses. `busy` when too many checks already wait.
   */
  isCommon(password: Password, userInputs: readonly string[]): Promise<Result<boolean, Busy>>;
}

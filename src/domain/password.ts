import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";

/** A plaintext password as typed by its owner. It never serialises: hash it, then forget it. */
export class Password {
  static readonly MIN_LENGTH = 8;
  static readonly MAX_LENGTH = 256;

  readonly #plaintext: string;

  private constructor(plaintext: string) {
    this.#plaintext = plaintext;
  }

  static parse(input: unknown, path = "password"): Result<Password, InvalidInput> {
    if (typeof input !== "string") {
      return err(invalid(path, "is required"));
    }
    const length = [...input].length;
    if (length < Password.MIN_LENGTH || length > Password.MAX_LENGTH) {
      return err(invalid(path, `must be ${Password.MIN_LENGTH} to ${Password.MAX_LENGTH} characters`));
    }
    return ok(new Password(input));
  }

  /** The plaintext, for the password hasher only. */
  reveal(): string {
    return this.#plaintext;
  }

  toString(): string {
    return "[password]";
  }

  toJSON(): string {
    return "[password]";
  }
}

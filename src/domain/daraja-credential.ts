import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";

/**
 * A credential from the Daraja portal as its owner pasted it: a passkey, a consumer key or secret, a B2C
 * initiator password. Trimmed, not blank, at most 512 characters as sent. It never serialises: seal it, then
 * forget it.
 */
export class DarajaCredential {
  static readonly MAX = 512;

  readonly #text: string;

  private constructor(text: string) {
    this.#text = text;
  }

  static parse(input: unknown, path: string): Result<DarajaCredential, InvalidInput> {
    if (typeof input !== "string") {
      return err(invalid(path, "is required"));
    }
    if (input.trim() === "") {
      return err(invalid(path, "must not be empty"));
    }
    if (input.length > DarajaCredential.MAX) {
      return err(invalid(path, `must be at most ${DarajaCredential.MAX} characters`));
    }
    return ok(new DarajaCredential(input.trim()));
  }

  /** The credential's text, for sealing (or, for a consumer key, storing) only. */
  reveal(): string {
    return this.#text;
  }

  toString(): string {
    return "[credential]";
  }

  toJSON(): string {
    return "[credential]";
  }
}

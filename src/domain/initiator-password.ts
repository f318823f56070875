import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";

/**
 * The B2C API operator's password, exactly as typed (spaces count). It never serialises: seal it, then forget
 * it.
 */
export class InitiatorPassword {
  /**
   * RSA-2048 with PKCS#1 v1.5 padding encrypts at most 245 bytes; Safaricom's portal allows far shorter
   * passwords than that anyway.
   */
  static readonly MAX = 128;

  readonly #plaintext: string;

  private constructor(plaintext: string) {
    this.#plaintext = plaintext;
  }

  static parse(input: unknown, path = "initiatorPassword"): Result<InitiatorPassword, InvalidInput> {
    if (typeof input !== "string" || input.length === 0) {
      return err(invalid(path, "is required"));
    }
    if (input.length > InitiatorPassword.MAX) {
      return err(invalid(path, `must be at most ${InitiatorPassword.MAX} characters`));
    }
    return ok(new InitiatorPassword(input));
  }

  /** The plaintext, for sealing only. */
  reveal(): string {
    return this.#plaintext;
  }

  toString(): string {
    return "[initiator password]";
  }

  toJSON(): string {
    return "[initiator password]";
  }
}

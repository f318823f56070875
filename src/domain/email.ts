import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";

/** An email address, normalised to lower case so that addresses compare case-insensitively. */
export class Email {
  static readonly MAX_LENGTH = 254;
  private static readonly FORM = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/;

  private constructor(readonly value: string) {}

  static parse(input: unknown, path = "email"): Result<Email, InvalidInput> {
    if (typeof input !== "string") {
      return err(invalid(path, "must be an email address"));
    }
    const normalised = input.trim().toLowerCase();
    if (normalised.length > Email.MAX_LENGTH || !Email.FORM.test(normalised)) {
      return err(invalid(path, "must be an email address such as name@example.com"));
    }
    return ok(new Email(normalised));
  }

  static restore(value: string): Email {
    return new Email(value);
  }

  equals(other: Email): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}

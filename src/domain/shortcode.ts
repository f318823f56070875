import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";

/** An M-Pesa business number: a paybill, a till, or a store / head-office number. 5 to 7 digits. */
export class Shortcode {
  static readonly MIN_DIGITS = 5;
  static readonly MAX_DIGITS = 7;
  private static readonly FORM = /^\d{5,7}$/;

  private constructor(readonly value: string) {}

  static parse(input: unknown, path = "shortcode"): Result<Shortcode, InvalidInput> {
    const text = typeof input === "number" && Number.isInteger(input) ? String(input) : input;
    if (typeof text !== "string" || !Shortcode.FORM.test(text.trim())) {
      return err(invalid(path, `must be ${Shortcode.MIN_DIGITS} to ${Shortcode.MAX_DIGITS} digits`));
    }
    return ok(new Shortcode(text.trim()));
  }

  static restore(value: string): Shortcode {
    return new Shortcode(value);
  }

  equals(other: Shortcode): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}

import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";

/** An M-Pesa business number: a paybill, a till, or a store / head-office number. 5 to 7 digits. */
export class Shortcode {
  private constructor(readonly value: string) {}

  static parse(input: unknown, path = "shortcode"): Result<Shortcode, InvalidInput> {
    const text = typeof input === "number" && Number.isInteger(input) ? String(input) : input;
    if (typeof text !== "string" || !/^\d{5,7}$/.test(text.trim())) {
      return err(invalid(path, "must be 5 to 7 digits"));
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

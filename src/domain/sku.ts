import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";

/** A business's own code for a product: 1 to 64 letters, digits, dots, dashes or underscores. */
export class Sku {
  private static readonly FORM = /^[A-Za-z0-9._-]{1,64}$/;

  private constructor(readonly value: string) {}

  static parse(input: unknown, path = "sku"): Result<Sku, InvalidInput> {
    if (typeof input !== "string" || !Sku.FORM.test(input)) {
      return err(invalid(path, "must be 1 to 64 letters, digits, dots, dashes or underscores"));
    }
    return ok(new Sku(input));
  }

  equals(other: Sku): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}

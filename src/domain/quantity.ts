import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";

/** How many units of one product a sale lists: a whole number from 1 to 10,000. */
export class Quantity {
  static readonly MAX = 10_000;

  private constructor(readonly value: number) {}

  static parse(input: unknown, path = "quantity"): Result<Quantity, InvalidInput> {
    if (typeof input !== "number" || !Number.isInteger(input) || input < 1 || input > Quantity.MAX) {
      return err(invalid(path, `must be a whole number from 1 to ${Quantity.MAX.toLocaleString("en-US")}`));
    }
    return ok(new Quantity(input));
  }

  equals(other: Quantity): boolean {
    return this.value === other.value;
  }

  toJSON(): number {
    return this.value;
  }
}

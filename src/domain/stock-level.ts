import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";

/** The sellable stock a business sets for a product: a whole number from 0 to 1,000,000. */
export class StockLevel {
  static readonly MAX = 1_000_000;

  private constructor(readonly value: number) {}

  static parse(input: unknown, path = "stock"): Result<StockLevel, InvalidInput> {
    if (typeof input !== "number" || !Number.isInteger(input) || input < 0 || input > StockLevel.MAX) {
      return err(invalid(path, `must be a whole number from 0 to ${StockLevel.MAX.toLocaleString("en-US")}`));
    }
    return ok(new StockLevel(input));
  }

  equals(other: StockLevel): boolean {
    return this.value === other.value;
  }

  toJSON(): number {
    return this.value;
  }
}

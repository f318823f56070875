import type { InvalidInput } from "./invalid-value.ts";
import { ok, type Result } from "./result.ts";
import { wholeNumberIn } from "./whole-number.ts";

/** The sellable stock a business sets for a product: a whole number from 0 to 1,000,000. */
export class StockLevel {
  static readonly MAX = 1_000_000;

  private constructor(readonly value: number) {}

  static parse(input: unknown, path = "stock"): Result<StockLevel, InvalidInput> {
    const count = wholeNumberIn(input, path, 0, StockLevel.MAX);
    return count.ok ? ok(new StockLevel(count.value)) : count;
  }

  /** A delivery added to the stock (restock): a whole number from 1 to 1,000,000. */
  static parseDelivery(input: unknown, path = "quantity"): Result<StockLevel, InvalidInput> {
    const count = wholeNumberIn(input, path, 1, StockLevel.MAX);
    return count.ok ? ok(new StockLevel(count.value)) : count;
  }

  equals(other: StockLevel): boolean {
    return this.value === other.value;
  }

  toJSON(): number {
    return this.value;
  }
}

import type { InvalidInput } from "./invalid-value.ts";
import { ok, type Result } from "./result.ts";
import { wholeNumberIn } from "./whole-number.ts";

/** How many units of one product a sale lists: a whole number from 1 to 10,000. */
export class Quantity {
  static readonly MAX = 10_000;

  private constructor(readonly value: number) {}

  static parse(input: unknown, path = "quantity"): Result<Quantity, InvalidInput> {
    const count = wholeNumberIn(input, path, 1, Quantity.MAX);
    return count.ok ? ok(new Quantity(count.value)) : count;
  }

  equals(other: Quantity): boolean {
    return this.value === other.value;
  }

  toJSON(): number {
    return this.value;
  }
}

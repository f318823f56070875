import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";

/**
 * An amount of Kenyan shillings. M-Pesa has no cents, so only whole shillings exist:
 * a fractional amount is an error, never rounded.
 */
export class Kes {
  /** Daraja's limits for one STK push. */
  static readonly PUSH_MIN = 1;
  static readonly PUSH_MAX = 250_000;
  /** Daraja's limits for one B2C payment. */
  static readonly PAYOUT_MIN = 10;
  static readonly PAYOUT_MAX = 250_000;

  private constructor(readonly value: number) {}

  /** Any whole, non-negative amount (a price, a running total). */
  static of(amount: unknown, path = "amount"): Result<Kes, InvalidInput> {
    return Kes.within(amount, 0, Number.MAX_SAFE_INTEGER, path);
  }

  /** An amount one STK push may ask for: 1 to 250,000. */
  static forPush(amount: unknown, path = "amount"): Result<Kes, InvalidInput> {
    return Kes.within(amount, Kes.PUSH_MIN, Kes.PUSH_MAX, path);
  }

  /** The price of one item: 1 to 250,000, since no single STK push may ask more. */
  static forPrice(amount: unknown, path = "price"): Result<Kes, InvalidInput> {
    return Kes.within(amount, Kes.PUSH_MIN, Kes.PUSH_MAX, path);
  }

  /** An amount one B2C payout may send: 10 to 250,000. */
  static forPayout(amount: unknown, path = "amount"): Result<Kes, InvalidInput> {
    return Kes.within(amount, Kes.PAYOUT_MIN, Kes.PAYOUT_MAX, path);
  }

  private static within(amount: unknown, min: number, max: number, path: string): Result<Kes, InvalidInput> {
    if (typeof amount !== "number" || !Number.isFinite(amount)) {
      return err(invalid(path, "must be a number of Kenyan shillings"));
    }
    if (!Number.isInteger(amount)) {
      return err(invalid(path, "must be whole shillings: M-Pesa has no cents"));
    }
    if (amount < min || amount > max) {
      return err(invalid(path, `must be between ${min} and ${max.toLocaleString("en-US")} shillings`));
    }
    return ok(new Kes(amount));
  }

  /** Rebuilds a stored amount without re-checking it. */
  static restore(value: number): Kes {
    return new Kes(value);
  }

  plus(other: Kes): Kes {
    return new Kes(this.value + other.value);
  }

  times(quantity: number): Kes {
    return new Kes(this.value * quantity);
  }

  equals(other: Kes): boolean {
    return this.value === other.value;
  }

  toJSON(): number {
    return this.value;
  }
}

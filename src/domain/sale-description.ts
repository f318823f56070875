import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";

/** What a sale is for, as the customer sees it: text of at most 500 characters. */
export class SaleDescription {
  static readonly MAX = 500;

  private constructor(readonly value: string) {}

  /** Left out, null or empty is no description at all (null). */
  static parse(input: unknown, path = "description"): Result<SaleDescription | null, InvalidInput> {
    if (input === undefined || input === null) {
      return ok(null);
    }
    if (typeof input !== "string" || input.length > SaleDescription.MAX) {
      return err(invalid(path, `must be text of at most ${SaleDescription.MAX} characters`));
    }
    return ok(input.length === 0 ? null : new SaleDescription(input));
  }

  equals(other: SaleDescription): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}

import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";

/** What a payout's recipient reads beside it: trimmed, 2 to 100 characters. */
export class PayoutRemarks {
  static readonly MIN = 2;
  static readonly MAX = 100;

  private constructor(readonly value: string) {}

  static parse(input: unknown, path = "remarks"): Result<PayoutRemarks, InvalidInput> {
    const text = typeof input === "string" ? input.trim() : null;
    if (text === null || text.length < PayoutRemarks.MIN || text.length > PayoutRemarks.MAX) {
      return err(invalid(path, `must be ${PayoutRemarks.MIN} to ${PayoutRemarks.MAX} characters`));
    }
    return ok(new PayoutRemarks(text));
  }

  equals(other: PayoutRemarks): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}

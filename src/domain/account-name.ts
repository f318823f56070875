import type { InvalidInput } from "./invalid-value.ts";
import { ok, type Result } from "./result.ts";
import { requiredText } from "./text.ts";

/** The name customers see for a Till or Paybill: trimmed, 1 to 100 characters. */
export class AccountName {
  static readonly MAX = 100;

  private constructor(readonly value: string) {}

  static parse(input: unknown, path = "accountName"): Result<AccountName, InvalidInput> {
    const text = requiredText(input, path, AccountName.MAX);
    return text.ok ? ok(new AccountName(text.value)) : text;
  }

  equals(other: AccountName): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}

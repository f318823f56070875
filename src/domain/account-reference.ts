import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";

/** The account reference shown to the payer in the STK prompt: 1 to 12 letters and digits (Daraja's limit). */
export class AccountReference {
  static readonly MAX_LENGTH = 12;

  private constructor(readonly value: string) {}

  static parse(input: unknown, path = "accountReference"): Result<AccountReference, InvalidInput> {
    if (typeof input !== "string" || !/^[A-Za-z0-9]{1,12}$/.test(input)) {
      return err(invalid(path, "must be 1 to 12 letters and digits"));
    }
    return ok(new AccountReference(input));
  }

  /** The first 12 letters and digits of a name, for a till that has no account reference of its own. */
  static fromName(name: string, path = "accountReference"): Result<AccountReference, InvalidInput> {
    const alphanumeric = name.replace(/[^A-Za-z0-9]/g, "").slice(0, AccountReference.MAX_LENGTH);
    if (alphanumeric.length === 0) {
      return err(invalid(path, "is needed: the business name has no letters or digits to use instead"));
    }
    return ok(new AccountReference(alphanumeric));
  }

  static restore(value: string): AccountReference {
    return new AccountReference(value);
  }

  equals(other: AccountReference): boolean {
    return this.value === other.value;
  }

  toJSON(): string {
    return this.value;
  }
}

import type { InvalidInput } from "./invalid-value.ts";
import { ok, type Result } from "./result.ts";
import { requiredText } from "./text.ts";

/** The B2C API operator's username on the M-Pesa org portal: trimmed, 1 to 64 characters. */
export class InitiatorName {
  static readonly MAX = 64;

  private constructor(readonly value: string) {}

  static parse(input: unknown, path = "initiatorName"): Result<InitiatorName, InvalidInput> {
    const text = requiredText(input, path, InitiatorName.MAX);
    return text.ok ? ok(new InitiatorName(text.value)) : text;
  }

  equals(other: InitiatorName): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}

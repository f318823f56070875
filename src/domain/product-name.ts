import type { InvalidInput } from "./invalid-value.ts";
import { ok, type Result } from "./result.ts";
import { requiredText } from "./text.ts";

/** What a product is called: trimmed, 1 to 120 characters. */
export class ProductName {
  static readonly MAX = 120;

  private constructor(readonly value: string) {}

  static parse(input: unknown, path = "name"): Result<ProductName, InvalidInput> {
    const text = requiredText(input, path, ProductName.MAX);
    return text.ok ? ok(new ProductName(text.value)) : text;
  }

  equals(other: ProductName): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}

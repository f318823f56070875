import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";

/** A trimmed, non-empty line of text of at most `max` characters. */
export function requiredText(input: unknown, path: string, max: number): Result<string, InvalidInput> {
  if (typeof input !== "string") {
    return err(invalid(path, "is required"));
  }
  const text = input.trim();
  if (text.length === 0) {
    return err(invalid(path, "must not be empty"));
  }
  if (text.length > max) {
    return err(invalid(path, `must be at most ${max} characters`));
  }
  return ok(text);
}

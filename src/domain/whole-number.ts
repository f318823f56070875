import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";

/** A whole number from `min` to `max`, as counts of things (units sold, units in stock) are. */
export function wholeNumberIn(
  input: unknown,
  path: string,
  min: number,
  max: number,
): Result<number, InvalidInput> {
  if (typeof input !== "number" || !Number.isInteger(input) || input < min || input > max) {
    return err(invalid(path, `must be a whole number from ${min} to ${max.toLocaleString("en-US")}`));
  }
  return ok(input);
}

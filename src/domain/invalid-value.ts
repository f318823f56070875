import { err, type Ok, ok, type Result } from "./result.ts";

/** A single rule broken by one field. `path` names the field as the client sent it. */
export type FieldError = { readonly path: string; readonly message: string };

/** The error every parser and factory of the domain returns for input that breaks a rule. */
export type InvalidInput = { readonly type: "invalid_input"; readonly errors: readonly FieldError[] };

export const invalid = (path: string, message: string): InvalidInput => ({
  type: "invalid_input",
  errors: [{ path, message }],
});

/** Re-labels the errors of a nested parser under the caller's field name. */
export const atPath = (path: string, error: InvalidInput): InvalidInput => ({
  type: "invalid_input",
  errors: error.errors.map((e) => ({ path: e.path === "" ? path : `${path}.${e.path}`, message: e.message })),
});

export const mergeInvalid = (errors: readonly InvalidInput[]): InvalidInput => ({
  type: "invalid_input",
  errors: errors.flatMap((e) => e.errors),
});

type ValueOf<R> = R extends Ok<infer V> ? V : never;

/**
 * Runs every parser and reports all broken rules at once, so that a client sees each bad field in one answer.
 */
export function validateAll<T extends Record<string, Result<unknown, InvalidInput>>>(
  fields: T,
): Result<{ [K in keyof T]: ValueOf<T[K]> }, InvalidInput> {
  const errors: InvalidInput[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, result] of Object.entries(fields)) {
    if (result.ok) {
      values[key] = result.value;
    } else {
      errors.push(result.error);
    }
  }
  if (errors.length > 0) {
    return err(mergeInvalid(errors));
  }
  return ok(values as { [K in keyof T]: ValueOf<T[K]> });
}

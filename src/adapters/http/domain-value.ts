import * as v from "valibot";
import type { InvalidInput } from "../../domain/invalid-value.ts";
import { ok, type Result } from "../../domain/result.ts";

/**
 * A field read into a domain value by the domain's own parser (`Kes.forPush`, `Msisdn.parse`…), so that its
 * limits and messages live in one place. `jsonSchema` is what the OpenAPI document says of the field: the
 * parser's rule, in JSON Schema words, written from the value object's own constants.
 */
export function domainValue<T>(
  parse: (input: unknown) => Result<T, InvalidInput>,
  jsonSchema: Readonly<Record<string, unknown>>,
) {
  return v.pipe(
    v.unknown(),
    v.metadata(jsonSchema),
    v.rawTransform<unknown, T>(({ dataset, addIssue, NEVER }) => {
      const parsed = parse(dataset.value);
      if (parsed.ok) {
        return parsed.value;
      }
      for (const error of parsed.error.errors) {
        addIssue({ message: error.message });
      }
      return NEVER;
    }),
  );
}

/** A field that may be left out (or sent as null, or as "" when `emptyIsAbsent`): `null` then. */
export const mayBeLeftOut = <T>(
  parse: (input: unknown) => Result<T, InvalidInput>,
  jsonSchema: Readonly<Record<string, unknown>>,
  emptyIsAbsent = false,
) =>
  v.optional(
    domainValue<T | null>(
      (input) =>
        input === null || input === undefined || (emptyIsAbsent && input === "") ? ok(null) : parse(input),
      jsonSchema,
    ),
    null,
  );

/**
 * `schema` (an object) with a rule across its fields, the domain's own (`PaymentConfig.pairOwnApp`…), asked once
 * the fields the rule reads have parsed, so that its errors come in the same answer as the other fields' errors.
 */
export function withDomainRule<S extends v.GenericSchema<unknown, Record<string, unknown>>>(
  schema: S,
  fields: readonly (keyof v.InferOutput<S> & string)[],
  rule: (input: v.InferOutput<S>) => Result<unknown, InvalidInput>,
) {
  return v.pipe(
    schema,
    v.rawCheck<v.InferOutput<S>>(({ dataset, addIssue }) => {
      const unparsed = (dataset.issues ?? []).some((issue) =>
        fields.some((field) => issue.path?.[0]?.key === field),
      );
      if (unparsed) {
        return;
      }
      // The fields the rule reads parsed: their values are typed, whatever broke elsewhere in the object.
      const value = dataset.value as v.InferOutput<S>;
      const checked = rule(value);
      if (checked.ok) {
        return;
      }
      for (const error of checked.error.errors) {
        addIssue({
          message: error.message,
          path: [
            { type: "object", origin: "value", input: value, key: error.path, value: value[error.path] },
          ],
        });
      }
    }),
  );
}

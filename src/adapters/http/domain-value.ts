import * as v from "valibot";
import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { Result } from "../../domain/result.ts";

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

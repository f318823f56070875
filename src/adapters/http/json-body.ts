import { err, ok, type Result } from "../../domain/result.ts";

/** No body PayMe reads nests deeper: Daraja's callbacks nest five levels, the API's bodies three. */
const MAX_DEPTH = 32;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A NUL character or a UTF-16 surrogate without its other half: JSON allows them, PostgreSQL's jsonb does not. */
const unstorable = (text: string) => text.includes("\u0000") || LONE_SURROGATE.test(text);

/**
 * A request's JSON body, or why it is refused: text that is not JSON, or JSON nested deeper than any body PayMe
 * reads. The depth limit keeps whatever walks the value afterwards (hashing it for idempotency, storing it)
 * from overflowing the stack on `[[[[…]]]]`, which JSON.parse itself accepts.
 */
export function parseJsonBody(text: string): Result<unknown, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return err("The body is not valid JSON.");
  }
  return walk(json, 0, () => true) ? ok(json) : err(`The body nests deeper than ${MAX_DEPTH} levels.`);
}

/**
 * The JSON body of a Safaricom callback, or why it cannot be one. Besides what `parseJsonBody` refuses, it refuses
 * what the callback audit trail cannot store (a NUL character, a lone surrogate): no Daraja callback carries them,
 * and a callback whose storing fails every time would be spooled and replayed for ever.
 */
export function parseCallbackJson(text: string): Result<unknown, string> {
  const json = parseJsonBody(text);
  if (!json.ok) {
    return json;
  }
  return walk(json.value, 0, (s) => !unstorable(s))
    ? json
    : err("The body holds what no Daraja callback does (a NUL character or a lone surrogate).");
}

/** True when `value` nests at most MAX_DEPTH levels and every string in it (keys included) passes `text`. */
function walk(value: unknown, depth: number, text: (s: string) => boolean): boolean {
  if (typeof value === "string") {
    return text(value);
  }
  if (typeof value !== "object" || value === null) {
    return true;
  }
  if (depth >= MAX_DEPTH) {
    return false;
  }
  return Object.entries(value).every(([key, item]) => text(key) && walk(item, depth + 1, text));
}

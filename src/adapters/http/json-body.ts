import { err, ok, type Result } from "../../domain/result.ts";

/** No body PayMe reads nests deeper: Daraja's callbacks nest five levels, the API's bodies three. */
const MAX_DEPTH = 32;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** PostgreSQL's text and jsonb cannot hold a NUL character; jsonb refuses a lone UTF-16 surrogate too. */
const hasNul = (text: string) => text.includes("\u0000");
const jsonbRefuses = (text: string) => hasNul(text) || LONE_SURROGATE.test(text);

/** Why a body is refused; `path` names the field (dotted) when one field is to blame. */
export type JsonBodyError = { readonly message: string; readonly path?: string };

/** The error in one sentence, field first when one field is to blame. */
export const describeJsonBodyError = (error: JsonBodyError): string =>
  error.path === undefined ? error.message : `${error.path} ${error.message}`;

/**
 * A request's JSON body, or why it is refused: text that is not JSON, JSON nested deeper than any body PayMe
 * reads, or a string with a NUL character. The depth limit keeps whatever walks the value afterwards (hashing it
 * for idempotency, storing it) from overflowing the stack on `[[[[…]]]]`, which JSON.parse itself accepts; the
 * NUL would make the database refuse the row.
 */
export function parseJsonBody(text: string): Result<unknown, JsonBodyError> {
  return parse(text, hasNul, "must not contain a NUL character");
}

/**
 * The JSON body of a Safaricom callback, or why it cannot be one. Besides what `parseJsonBody` refuses, it refuses
 * a lone surrogate, which the callback audit trail (jsonb) cannot store: no Daraja callback carries one, and a
 * callback whose storing fails every time would be spooled and replayed for ever.
 */
export function parseCallbackJson(text: string): Result<unknown, JsonBodyError> {
  return parse(
    text,
    jsonbRefuses,
    "holds what no Daraja callback does (a NUL character or a lone surrogate)",
  );
}

function parse(text: string, refused: (s: string) => boolean, why: string): Result<unknown, JsonBodyError> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return err({ message: "The body is not valid JSON." });
  }
  const found = fault(json, [], refused);
  if (found === null) {
    return ok(json);
  }
  return found.tooDeep
    ? err({ message: `The body nests deeper than ${MAX_DEPTH} levels.` })
    : err({ message: why, path: found.path.join(".") });
}

/** The first place in `value` that nests past MAX_DEPTH, or holds a string (key or value) that is `refused`. */
function fault(
  value: unknown,
  path: readonly string[],
  refused: (s: string) => boolean,
): { path: readonly string[]; tooDeep: boolean } | null {
  if (typeof value === "string") {
    return refused(value) ? { path, tooDeep: false } : null;
  }
  if (typeof value !== "object" || value === null) {
    return null;
  }
  if (path.length >= MAX_DEPTH) {
    return { path, tooDeep: true };
  }
  for (const [key, item] of Object.entries(value)) {
    const found = refused(key)
      ? { path: [...path, key], tooDeep: false }
      : fault(item, [...path, key], refused);
    if (found !== null) {
      return found;
    }
  }
  return null;
}

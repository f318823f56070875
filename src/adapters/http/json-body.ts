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
 *
 * A number whose written value has a fraction that JSON.parse would round away (`1.0000000000000001`, `1e-400`)
 * is read as the string it was written as, so that the field's own rule refuses it ("must be a whole number")
 * instead of the rounded whole number being taken for it: money is never rounded.
 */
export function parseJsonBody(text: string): Result<unknown, JsonBodyError> {
  const parsed = parse(text, hasNul, "must not contain a NUL character");
  if (!parsed.ok || !MAY_ROUND.test(text)) {
    return parsed;
  }
  const exact = quoteRoundedNumbers(text);
  return exact === text ? parsed : parse(exact, hasNul, "must not contain a NUL character");
}

/** Only a number with a fraction or an exponent can be rounded to a whole number by JSON.parse. */
const MAY_ROUND = /\d[.eE]/;

const NUMBER_TOKEN = /-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?/y;

/**
 * `text` (valid JSON) with every number that is not whole as written, yet whole once parsed, written as a string.
 * Numbers are found outside strings only.
 */
function quoteRoundedNumbers(text: string): string {
  let out = "";
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char === '"') {
      i += 1;
      while (i < text.length && text[i] !== '"') {
        i += text[i] === "\\" ? 2 : 1;
      }
      i += 1;
      continue;
    }
    if (char === "-" || (char !== undefined && char >= "0" && char <= "9")) {
      NUMBER_TOKEN.lastIndex = i;
      const match = NUMBER_TOKEN.exec(text);
      const token = match?.[0] ?? char;
      if (match !== null && roundedToWhole(match)) {
        out += `${text.slice(copied, i)}"${token}"`;
        copied = i + token.length;
      }
      i += token.length;
      continue;
    }
    i += 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** True when the number written is not whole, but JSON.parse reads it as a whole number. */
function roundedToWhole(match: RegExpExecArray): boolean {
  if (!Number.isInteger(Number(match[0]))) {
    return false;
  }
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  const digits = `${match[1] ?? ""}${fraction}`;
  if (/^0*$/.test(digits)) {
    return false;
  }
  const trailingZeros = digits.length - digits.replace(/0+$/, "").length;
  // The value is digits × 10^scale, with no trailing zero left in digits: whole exactly when scale ≥ 0.
  const scale = Number(match[3] ?? "0") - fraction.length + trailingZeros;
  return scale < 0;
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
  path: string[],
  refused: (s: string) => boolean,
): { path: readonly string[]; tooDeep: boolean } | null {
  // `path` is the way down to `value`, pushed and popped as the walk goes: copied only for a fault found.
  if (typeof value === "string") {
    return refused(value) ? { path: [...path], tooDeep: false } : null;
  }
  if (typeof value !== "object" || value === null) {
    return null;
  }
  if (path.length >= MAX_DEPTH) {
    return { path: [...path], tooDeep: true };
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) {
      continue;
    }
    path.push(key);
    const found = refused(key)
      ? { path: [...path], tooDeep: false }
      : fault((value as Record<string, unknown>)[key], path, refused);
    path.pop();
    if (found !== null) {
      return found;
    }
  }
  return null;
}

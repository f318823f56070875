import { err, ok, type Result } from "../../domain/result.ts";

/** Daraja's callbacks nest five levels deep at most. */
const MAX_DEPTH = 32;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A NUL character or a UTF-16 surrogate without its other half: JSON allows them, PostgreSQL's jsonb does not. */
const unstorable = (text: string) => text.includes("\u0000") || LONE_SURROGATE.test(text);

/**
 * The JSON body of a Safaricom callback, or why it cannot be one. Besides text that is not JSON, it refuses what
 * the callback audit trail cannot store (a NUL character, a lone surrogate, absurd nesting): no Daraja callback
 * carries them, and a callback whose storing fails every time would be spooled and replayed for ever.
 */
export function parseCallbackJson(text: string): Result<unknown, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return err("The body is not valid JSON.");
  }
  return storable(json, 0)
    ? ok(json)
    : err("The body holds what no Daraja callback does (NUL, lone surrogates, deep nesting).");
}

function storable(value: unknown, depth: number): boolean {
  if (typeof value === "string") {
    return !unstorable(value);
  }
  if (typeof value !== "object" || value === null) {
    return true;
  }
  if (depth >= MAX_DEPTH) {
    return false;
  }
  return Object.entries(value).every(([key, item]) => !unstorable(key) && storable(item, depth + 1));
}

import type { Context } from "hono";
import type { Result } from "../../domain/result.ts";
import type { HttpEnv } from "./http-env.ts";
import { describeJsonBodyError, parseCallbackJson } from "./json-body.ts";
import { problemResponse } from "./problem.ts";

/** A callback's body as JSON, or the 400 problem answered for one that is not (every callback receiver's first step). */
export async function readCallbackJson(
  c: Context<HttpEnv>,
): Promise<
  { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly problem: Response }
> {
  const json = parseCallbackJson(await c.req.text());
  if (json.ok) {
    return { ok: true, body: json.value };
  }
  return {
    ok: false,
    problem: problemResponse(c, {
      status: 400,
      code: "malformed_request",
      title: "Malformed callback",
      detail: describeJsonBodyError(json.error),
    }),
  };
}

/**
 * A callback's body as JSON, then as `read` reads it: the 400 problem for a body that is not JSON, or not such a
 * callback (`notACallback` its title; the field at fault, else `wholePath`, named in its errors).
 */
export async function readCallback<C>(
  c: Context<HttpEnv>,
  read: (json: unknown) => Result<C, { readonly message: string; readonly field: string | null }>,
  notACallback: { readonly title: string; readonly wholePath: string },
): Promise<
  | { readonly ok: true; readonly body: unknown; readonly callback: C }
  | { readonly ok: false; readonly problem: Response }
> {
  const json = await readCallbackJson(c);
  if (!json.ok) {
    return json;
  }
  const callback = read(json.body);
  if (callback.ok) {
    return { ok: true, body: json.body, callback: callback.value };
  }
  const { message, field } = callback.error;
  return {
    ok: false,
    problem: problemResponse(c, {
      status: 400,
      code: "validation_failed",
      title: notACallback.title,
      detail: message,
      errors: [{ path: field ?? notACallback.wholePath, message }],
    }),
  };
}

import type { Context } from "hono";
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

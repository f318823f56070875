import type { Context, MiddlewareHandler } from "hono";
import type { Authenticate } from "../../application/accounts/authenticate.ts";
import { unauthorizedProblem } from "./error-mapping.ts";
import type { HttpEnv } from "./http-env.ts";
import { problemResponse } from "./problem.ts";

/** The token of `Authorization: Bearer <token>`, or null without one. */
export function bearerToken(c: Context): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "");
  return match?.[1] ?? null;
}

/**
 * Lets a request through only with `Authorization: Bearer <token>` for a user who still exists, with a token that
 * was neither signed out nor issued before the user's last password change.
 */
export function requireUser(authenticate: Authenticate): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const token = bearerToken(c);
    const result = token === null ? null : await authenticate.execute(token);
    if (result === null || !result.ok) {
      const response = problemResponse(c, unauthorizedProblem);
      response.headers.set("WWW-Authenticate", 'Bearer realm="payme"');
      return response;
    }
    c.set("user", result.value);
    c.set("log", c.var.log.child({ userId: result.value.id }));
    await next();
  };
}

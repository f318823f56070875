import type { MiddlewareHandler } from "hono";
import type { Authenticate } from "../../application/authenticate.ts";
import { unauthorizedProblem } from "./error-mapping.ts";
import type { HttpEnv } from "./http-env.ts";
import { problemResponse } from "./problem.ts";

/** Lets a request through only with `Authorization: Bearer <token>` for a user who still exists. */
export function requireUser(authenticate: Authenticate): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "");
    const result = match?.[1] === undefined ? null : await authenticate.execute(match[1]);
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

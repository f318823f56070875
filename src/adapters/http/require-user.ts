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
 * Lets a request through only with `Authorization: Bearer <credential>`: a JWT of a user who still exists, neither
 * signed out nor issued before the user's last password change; or an unrevoked API key of this environment.
 * What the caller may do is the route's permission check's to say (routeDoc).
 */
export function requireUser(authenticate: Authenticate): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const token = bearerToken(c);
    // A credential longer than any we issue is refused without being looked at.
    const result = token === null || token.length > 4096 ? null : await authenticate.execute(token);
    if (result === null || !result.ok) {
      const response = problemResponse(c, unauthorizedProblem);
      response.headers.set("WWW-Authenticate", 'Bearer realm="payme"');
      return response;
    }
    const { actor, user } = result.value;
    c.set("actor", actor);
    if (user !== null) {
      c.set("user", user);
    }
    const actorLog =
      actor.kind === "user"
        ? { credential: "jwt" as const, userId: actor.userId }
        : { credential: "api_key" as const, apiKeyId: actor.keyId };
    c.set("actorLog", actorLog);
    c.set("log", c.var.log.child(actorLog));
    await next();
  };
}

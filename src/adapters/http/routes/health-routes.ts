import { Hono } from "hono";
import type { HttpEnv } from "../http-env.ts";
import { problemResponse } from "../problem.ts";

/** Liveness and readiness, for load balancers and orchestrators. */
export function healthRoutes(deps: { readonly isReady: () => Promise<boolean> }): Hono<HttpEnv> {
  return new Hono<HttpEnv>()
    .get("/health", (c) => c.json({ status: "ok" }))
    .get("/ready", async (c) => {
      if (await deps.isReady()) {
        return c.json({ status: "ready" });
      }
      return problemResponse(c, {
        status: 503,
        code: "not_ready",
        title: "Not ready",
        detail: "The database does not answer; PayMe cannot serve requests right now.",
        retryAfterSeconds: 5,
      });
    });
}

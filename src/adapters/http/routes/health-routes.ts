import { createHash, timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import * as v from "valibot";
import type { HttpEnv } from "../http-env.ts";
import { routeDoc } from "../openapi/route-docs.ts";
import { problemResponse } from "../problem.ts";

/** True when `presented` is `expected`, in time that does not depend on where they differ (nor on their lengths). */
function sameToken(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * Liveness and readiness, for load balancers and orchestrators; and the metrics, for Prometheus. The metrics show
 * every tenant's volumes: with a `metricsToken`, only a scraper that sends it as a bearer token may read them.
 */
export function healthRoutes(deps: {
  readonly isReady: () => Promise<boolean>;
  /** True once a shutdown has begun: `/ready` then answers 503 while every other route still serves. */
  readonly isDraining?: () => boolean;
  /** The metrics in Prometheus text format. */
  readonly metrics: () => Promise<string>;
  /** METRICS_TOKEN; null leaves /metrics public. */
  readonly metricsToken: string | null;
}): Hono<HttpEnv> {
  return new Hono<HttpEnv>()
    .get(
      "/health",
      routeDoc({
        tag: "Operations",
        summary: "Liveness",
        auth: false,
        success: {
          status: 200,
          description: "The process is up.",
          schema: v.object({ status: v.literal("ok") }),
        },
      }),
      (c) => c.json({ status: "ok" }),
    )
    .get(
      "/ready",
      routeDoc({
        tag: "Operations",
        summary: "Readiness",
        auth: false,
        success: {
          status: 200,
          description: "The database answers and the instance is not shutting down.",
          schema: v.object({ status: v.literal("ready") }),
        },
        problems: [503],
      }),
      async (c) => {
        if (deps.isDraining?.() === true) {
          return problemResponse(c, {
            status: 503,
            code: "not_ready",
            title: "Shutting down",
            detail: "This instance is shutting down; send new requests to another one.",
            retryAfterSeconds: 5,
          });
        }
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
      },
    )
    .get(
      "/metrics",
      routeDoc({
        tag: "Operations",
        summary: "Prometheus metrics",
        description:
          "Public while METRICS_TOKEN is unset; with it set, send `Authorization: Bearer $METRICS_TOKEN` (production requires it).",
        auth: false,
        problems: [401],
        success: {
          status: 200,
          description: "Prometheus text format.",
          schema: v.string(),
          contentType: "text/plain",
        },
      }),
      async (c) => {
        if (deps.metricsToken !== null) {
          const presented = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1];
          if (presented === undefined || !sameToken(presented, deps.metricsToken)) {
            const response = problemResponse(c, {
              status: 401,
              code: "unauthorized",
              title: "Unauthorized",
              detail: "The metrics need the metrics token: Authorization: Bearer $METRICS_TOKEN.",
            });
            response.headers.set("WWW-Authenticate", 'Bearer realm="payme-metrics"');
            return response;
          }
        }
        return c.body(await deps.metrics(), 200, {
          "Content-Type": "text/plain; version=0.0.4; charset=utf-8",
        });
      },
    );
}

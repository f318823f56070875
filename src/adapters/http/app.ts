import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { routePath } from "hono/route";
import type { Logger } from "pino";
import type { CreateBusiness } from "../../application/create-business.ts";
import type { GetBusiness } from "../../application/get-business.ts";
import type { ListBusinesses } from "../../application/list-businesses.ts";
import { webRoutes } from "../web/web-routes.tsx";
import type { HttpEnv } from "./http-env.ts";
import { problemResponse } from "./problem.ts";
import { redactPath } from "./redact-path.ts";
import { requireUser } from "./require-user.ts";
import { type AuthRouteDependencies, authRoutes } from "./routes/auth-routes.ts";
import { businessRoutes } from "./routes/business-routes.ts";
import { healthRoutes } from "./routes/health-routes.ts";
import { mpesaCallbackRoutes } from "./routes/mpesa-callback-routes.ts";
import { paymentConfigRoutes } from "./routes/payment-config-routes.ts";
import { productRoutes } from "./routes/product-routes.ts";
import { saleRoutes } from "./routes/sale-routes.ts";
import { walletRoutes } from "./routes/wallet-routes.ts";

export const MAX_BODY_BYTES = 64 * 1024;

export type AppDependencies = AuthRouteDependencies &
  Parameters<typeof walletRoutes>[0] &
  Parameters<typeof mpesaCallbackRoutes>[0] &
  Parameters<typeof paymentConfigRoutes>[0] &
  Parameters<typeof productRoutes>[0] &
  Parameters<typeof saleRoutes>[0] &
  Parameters<typeof webRoutes>[0] & {
    readonly logger: Logger;
    /** True when the database answers. */
    readonly isReady: () => Promise<boolean>;
    readonly createBusiness: CreateBusiness;
    readonly listBusinesses: ListBusinesses;
    readonly getBusiness: GetBusiness;
  };

/** Routes under /api that Safaricom calls: public, authenticated by their own per-payment token. */
const PUBLIC_API_PREFIX = "/api/mpesa/";

/**
 * The HTTP face of PayMe. Every response carries `X-Request-Id` (the caller's, when it sent a sane one);
 * every error, unknown routes included, is `application/problem+json`.
 */
export function createApp(deps: AppDependencies): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();

  app.use(requestId({ headerName: "X-Request-Id", limitLength: 128 }));
  app.use(async (c, next) => {
    const started = performance.now();
    const log = deps.logger.child({ requestId: c.get("requestId") });
    c.set("log", log);
    await next();
    log.info(
      {
        method: c.req.method,
        route: routePath(c, -1),
        path: redactPath(c.req.path),
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      },
      "request",
    );
  });
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        problemResponse(c, {
          status: 413,
          code: "payload_too_large",
          title: "Payload too large",
          detail: `The request body is over ${MAX_BODY_BYTES / 1024} KiB.`,
        }),
    }),
  );

  app.route("/", healthRoutes({ isReady: deps.isReady }));
  app.route("/", authRoutes(deps));
  // The browser pages: outside /api, so the bearer guard never sees them; they use a session cookie instead.
  app.route("/", webRoutes(deps));

  // Safaricom's callbacks are public: each carries its own per-payment token.
  app.route("/", mpesaCallbackRoutes(deps));
  const callbackPaths = deps.callbackPaths.map((path) => path.replace(/\/+$/, ""));
  const isCallback = (path: string) =>
    path.startsWith(PUBLIC_API_PREFIX) || callbackPaths.some((p) => path === p || path.startsWith(`${p}/`));

  // Default deny: every other /api route needs a bearer token.
  const guard = requireUser(deps.authenticate);
  app.use("/api/*", (c, next) => (isCallback(c.req.path) ? next() : guard(c, next)));
  app.route("/", businessRoutes(deps));
  app.route("/", walletRoutes(deps));
  app.route("/", paymentConfigRoutes(deps));
  app.route("/", productRoutes(deps));
  app.route("/", saleRoutes(deps));

  app.notFound((c) =>
    problemResponse(c, {
      status: 404,
      code: "not_found",
      title: "Not found",
      detail: `There is no ${c.req.method} ${redactPath(c.req.path)}.`,
    }),
  );

  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status < 500) {
      return problemResponse(c, {
        status: error.status,
        code: error.status === 400 ? "malformed_request" : "bad_request",
        title: "Bad request",
        detail: error.message || "The request could not be understood.",
      });
    }
    (c.var.log ?? deps.logger).error({ err: error, path: redactPath(c.req.path) }, "unhandled error");
    return problemResponse(c, {
      status: 500,
      code: "internal_error",
      title: "Internal error",
      detail: "Something went wrong on our side. It has been logged; try again later.",
    });
  });

  return app;
}

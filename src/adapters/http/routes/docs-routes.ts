import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { toJsonSchema } from "@valibot/to-json-schema";
import { Hono } from "hono";
import { openAPIRouteHandler } from "hono-openapi";
import * as v from "valibot";
import type { HttpEnv } from "../http-env.ts";
import { ProblemSchema } from "../openapi/resource-schemas.ts";
import { routeDoc } from "../openapi/route-docs.ts";
import { problemResponse } from "../problem.ts";

/** The browsable page's files, served from the swagger-ui-dist package: nothing comes from a CDN at run time. */
const ASSETS: Readonly<Record<string, string>> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>PayMe API</title>
  <link rel="icon" href="/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="docs"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/init.js"></script>
</body>
</html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#docs", deepLinking: true });`;

/**
 * `GET /openapi.json` (OpenAPI 3.1, generated from the routes' valibot schemas) and `GET /docs` (Swagger UI,
 * served from the package). `app` is the whole application, whose routes the document describes.
 */
export function docsRoutes(app: Hono<HttpEnv>, version: string): Hono<HttpEnv> {
  const uiDirectory = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  const files = new Map(
    Object.entries(ASSETS).map(([name, type]) => [
      name,
      { type, body: readFileSync(join(uiDirectory, name)) },
    ]),
  );
  files.set("init.js", { type: "text/javascript; charset=utf-8", body: Buffer.from(INIT) });

  return new Hono<HttpEnv>()
    .get(
      "/openapi.json",
      routeDoc({
        tag: "Operations",
        summary: "This document",
        auth: false,
        success: { status: 200, description: "The OpenAPI 3.1 document.", schema: v.object({}) },
      }),
      openAPIRouteHandler(app, {
        // A value a validator refuses is a problem document, as every other error (request-body.ts).
        defaultValidationErrorResponse: {
          description:
            "The request breaks a rule (`validation_failed`) or is not JSON (`malformed_request`).",
          content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
        },
        documentation: {
          openapi: "3.1.0",
          info: {
            title: "PayMe API",
            version,
            description:
              "Multi-tenant M-Pesa (Daraja) payments. Amounts are whole Kenyan shillings; errors are RFC 9457 problem+json with a stable `code`.",
          },
          components: {
            securitySchemes: {
              bearerAuth: {
                type: "http",
                scheme: "bearer",
                bearerFormat: "JWT",
                description:
                  "A user's token from /auth/sign-in or /auth/sign-up. What it may do is the user's role in the business (x-roles).",
              },
              apiKey: {
                type: "http",
                scheme: "bearer",
                bearerFormat: "sk_test_… / sk_live_…",
                description:
                  "A business API key. It acts for its own business only, within its scopes (x-scopes); an operation without x-scopes refuses every key.",
              },
              sessionCookie: { type: "apiKey", in: "cookie", name: "payme_session" },
            },
            schemas: {
              Problem: toJsonSchema(ProblemSchema, { errorMode: "ignore" }) as Record<string, unknown>,
            },
          },
        },
      }),
    )
    .get(
      "/docs",
      routeDoc({
        tag: "Operations",
        summary: "Browsable documentation",
        auth: false,
        success: {
          status: 200,
          description: "An HTML page (no CDN).",
          schema: v.string(),
          contentType: "text/html",
        },
      }),
      (c) => c.html(PAGE),
    )
    .get(
      "/docs/assets/:file",
      routeDoc({
        tag: "Operations",
        summary: "Files of the documentation page",
        auth: false,
        success: {
          status: 200,
          description: "CSS, JavaScript or an icon.",
          schema: v.string(),
          contentType: "application/octet-stream",
        },
        problems: [404],
      }),
      (c) => {
        const file = files.get(c.req.param("file"));
        if (file === undefined) {
          return problemResponse(c, {
            status: 404,
            code: "not_found",
            title: "Not found",
            detail: "No such file.",
          });
        }
        return c.body(new Uint8Array(file.body), 200, {
          "Content-Type": file.type,
          "Cache-Control": "public, max-age=86400",
        });
      },
    );
}

import { Hono } from "hono";
import * as v from "valibot";
import type { CreateApiKey } from "../../../application/access/create-api-key.ts";
import type { ListApiKeys } from "../../../application/access/list-api-keys.ts";
import type { RevokeApiKey } from "../../../application/access/revoke-api-key.ts";
import { API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES, parseApiKeyScopes } from "../../../domain/api-key-scope.ts";
import { requiredText } from "../../../domain/text.ts";
import { domainValue } from "../domain-value.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { ApiKeySchema } from "../openapi/resource-schemas.ts";
import { routeDoc } from "../openapi/route-docs.ts";
import { presentApiKey } from "../presenters.ts";
import { problemResponse } from "../problem.ts";
import { jsonBody, pathParams } from "../request-body.ts";
import { idParam } from "../schemas.ts";

export const API_KEY_NAME_MAX = 100;

export const CreateApiKeyBody = v.object({
  name: domainValue((input) => requiredText(input, "name", API_KEY_NAME_MAX), {
    type: "string",
    minLength: 1,
    maxLength: API_KEY_NAME_MAX,
    description: "What the key is for (your till app, your website …).",
  }),
  scopes: v.optional(
    v.nullable(
      domainValue((input) => parseApiKeyScopes(input), {
        type: "array",
        items: { type: "string", enum: [...API_KEY_SCOPES] },
        minItems: 1,
        description: `Left out: ${DEFAULT_API_KEY_SCOPES.join(", ")} (read and charge).`,
      }),
    ),
  ),
});

const BusinessPath = v.object({ businessId: idParam });
const KeyPath = v.object({ businessId: idParam, apiKeyId: idParam });

/** `/api/businesses/:businessId/api-keys`: an owner's keys for the business's own systems. */
export function apiKeyRoutes(deps: {
  readonly createApiKey: CreateApiKey;
  readonly listApiKeys: ListApiKeys;
  readonly revokeApiKey: RevokeApiKey;
}): Hono<HttpEnv> {
  return new Hono<HttpEnv>()
    .post(
      "/api/businesses/:businessId/api-keys",
      routeDoc({
        tag: "API keys",
        summary: "Create an API key",
        description:
          "The secret (sk_test_… or, on production, sk_live_…) is in this answer only: it is stored as a hash and never shown again.",
        permission: "api-keys:manage",
        readsJson: true,
        success: {
          status: 201,
          description: "Created.",
          schema: v.object({ apiKey: ApiKeySchema, secret: v.string() }),
        },
        problems: [404],
      }),
      pathParams(BusinessPath),
      jsonBody(CreateApiKeyBody),
      async (c) => {
        const { name, scopes } = c.req.valid("json");
        const result = await deps.createApiKey.execute({
          access: c.var.access,
          ...c.req.valid("param"),
          name,
          scopes: scopes ?? null,
        });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        c.var.log.info(
          { apiKeyId: result.value.apiKey.id, scopes: result.value.apiKey.scopes },
          "API key created",
        );
        c.header("Cache-Control", "no-store");
        return c.json({ apiKey: presentApiKey(result.value.apiKey), secret: result.value.secret }, 201);
      },
    )
    .get(
      "/api/businesses/:businessId/api-keys",
      routeDoc({
        tag: "API keys",
        summary: "A business's API keys",
        permission: "api-keys:manage",
        success: {
          status: 200,
          description: "Unrevoked keys, newest first; never their secrets.",
          schema: v.object({ apiKeys: v.array(ApiKeySchema) }),
        },
        problems: [400, 404],
      }),
      pathParams(BusinessPath),
      async (c) => {
        const result = await deps.listApiKeys.execute({ access: c.var.access, ...c.req.valid("param") });
        return result.ok
          ? c.json({ apiKeys: result.value.map(presentApiKey) })
          : problemResponse(c, problemFor(result.error));
      },
    )
    .delete(
      "/api/businesses/:businessId/api-keys/:apiKeyId",
      routeDoc({
        tag: "API keys",
        summary: "Revoke an API key",
        permission: "api-keys:manage",
        success: { status: 204, description: "Revoked: the key stops working at once, on every instance." },
        problems: [400, 404],
      }),
      pathParams(KeyPath),
      async (c) => {
        const result = await deps.revokeApiKey.execute({ access: c.var.access, ...c.req.valid("param") });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        c.var.log.info({ revokedApiKeyId: c.req.valid("param").apiKeyId }, "API key revoked");
        return c.body(null, 204);
      },
    );
}

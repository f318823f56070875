import type { MiddlewareHandler } from "hono";
import { describeRoute, resolver, uniqueSymbol } from "hono-openapi";
import type * as v from "valibot";
import type { Actor } from "../../../application/shared/actor.ts";
import { authorize } from "../../../application/shared/authorize.ts";
import { type Permission, permissionRule } from "../../../application/shared/permissions.ts";
import { problemFor, unauthorizedProblem } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { problemResponse } from "../problem.ts";

/** A schema in the document, from the same valibot schema that validates (checks it cannot express are left out). */
export const schemaOf = (schema: v.GenericSchema) => resolver(schema, { errorMode: "ignore" });

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "The request breaks a rule (`validation_failed`) or is not JSON (`malformed_request`).",
  401: "Missing or bad token (`unauthorized`), or wrong email or password (`invalid_credentials`).",
  403: "The caller's role in the business, or the API key's scopes, do not allow this (`forbidden`).",
  404: "Absent, or belonging to a business the caller is not a member of (`not_found`).",
  409: "A conflict: `email_taken`, `insufficient_stock`, `subscriber_busy`, `sku_taken`, `idempotency_in_progress`, `endpoint_disabled`.",
  413: "The body is over 64 KiB (`payload_too_large`).",
  422: "Understood but refused: `payment_config_missing`, `payment_config_unverified`, `amount_mismatch`, `idempotency_conflict`, `payout_config_missing`, `payout_limit_exceeded`, `business_limit_reached`, `initiator_missing`.",
  429: "Too many attempts (`rate_limited`), or past a push limit (`push_rate_limited`: nothing was sent or reserved), with Retry-After.",
  502: "Daraja definitely refused the request: nothing started (`gateway_rejected`).",
  503: "Daraja could not be reached, or rate limited us, before the request could start anything (`gateway_unavailable`); the database is unavailable (`not_ready`); or PayMe is saturated (`busy`: too many passwords being checked, or a callback that could neither be processed nor spooled). With Retry-After.",
};

/** `?limit=` and `?cursor=`, which every listing reads (pagination.ts). */
export const PAGE_QUERY = [
  {
    name: "limit",
    description: "At most 200; 50 when left out.",
    schema: { type: "integer", minimum: 1, maximum: 200 },
  },
  {
    name: "cursor",
    description: "The previous page's nextCursor.",
    schema: { type: "string", format: "uuid" },
  },
];

export type RouteDoc = {
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /** Public routes say false; the JSON API needs the bearer token (true); the web pages use the session cookie. */
  readonly auth?: boolean | "cookie";
  /**
   * The action a bearer-token route stands for (PERMISSIONS): required on every such route. The route then
   * answers 403 (or 404 for a `:businessId` the caller does not belong to) before reading anything, and passes
   * `c.var.access` to its use case, which asks `authorize` again about the business it finds.
   */
  readonly permission?: Permission;
  readonly query?: readonly {
    readonly name: string;
    readonly description: string;
    readonly schema?: object;
  }[];
  readonly body?: v.GenericSchema;
  /** The route validates a JSON body beside itself (the validator describes it): 400 and 413 are added. */
  readonly readsJson?: boolean;
  /** The body's media type; JSON unless said otherwise (the web pages post forms). */
  readonly bodyType?: string;
  /** Takes an Idempotency-Key header (Stripe's semantics). */
  readonly idempotent?: boolean;
  readonly success: {
    readonly status: number;
    readonly description: string;
    readonly schema?: v.GenericSchema;
    readonly contentType?: string;
  };
  /** Another success answer (a look-up's `202` while Daraja's result has not come). */
  readonly alsoSuccess?: {
    readonly status: number;
    readonly description: string;
    readonly schema: v.GenericSchema;
  };
  /** The problem statuses the route can answer with (401 is added for bearer-token routes). */
  readonly problems?: readonly number[];
};

const SECURITY = { cookie: [{ sessionCookie: [] }], none: [] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The role (or key) a request was allowed as, for its log line. */
const roleOf = (actor: Actor, role: string) => (actor.kind === "api_key" ? "api_key" : role);

/**
 * The route's permission check: `authorize` for the business named in the path, or, when the business is named
 * in the body or implied, whether the caller may do this anywhere (the use case asks again once it knows the
 * business). Sets `c.var.access` for the handler.
 */
function permissionCheck(permission: Permission): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const actor = c.var.actor;
    if (actor === undefined) {
      return problemResponse(c, unauthorizedProblem);
    }
    const named = c.req.param("businessId");
    const verdict = authorize(actor, permission, named !== undefined && UUID.test(named) ? named : null);
    if (!verdict.ok) {
      return problemResponse(c, problemFor(verdict.error));
    }
    c.set("access", { actor, permission });
    const role = roleOf(actor, verdict.value.role);
    c.set("actorLog", { ...c.var.actorLog, role });
    c.set("log", c.var.log.child({ role }));
    await next();
  };
}

/** The OpenAPI extensions and security of a bearer route: who may call it, as a role and as an API key. */
function permissionDoc(permission: Permission) {
  const rule = permissionRule(permission);
  const scopes = rule.scope === null ? null : rule.scope === "any" ? [] : [rule.scope];
  const who = rule.business ? `roles: ${rule.roles.join(", ")}` : "any signed-in user";
  const keys =
    scopes === null
      ? "API keys: never"
      : scopes.length === 0
        ? "API keys: any"
        : `API key scope: ${scopes[0]}`;
  const security: Record<string, string[]>[] = [
    { bearerAuth: [] },
    ...(scopes === null ? [] : [{ apiKey: scopes }]),
  ];
  return {
    security,
    "x-permission": permission,
    "x-roles": rule.business ? [...rule.roles] : ["owner", "manager", "cashier", "user"],
    ...(scopes === null ? {} : { "x-scopes": scopes }),
    note: `Permission \`${permission}\` (${rule.description}): ${who}; ${keys}.`,
  };
}

/**
 * The OpenAPI description of one route, built from its valibot schemas; on a bearer-token route, also its
 * permission check (the middleware this returns runs it).
 */
export function routeDoc(doc: RouteDoc): MiddlewareHandler {
  const auth = doc.auth ?? true;
  if (auth === true && doc.permission === undefined) {
    throw new Error(
      `${doc.summary}: a bearer-token route names its permission (routeDoc({ permission: "…" }), see permissions.ts)`,
    );
  }
  const permission = auth === true && doc.permission !== undefined ? permissionDoc(doc.permission) : null;
  const problems = new Set([
    ...(doc.problems ?? []),
    ...(auth === true ? [401, 403] : []),
    ...(doc.body || doc.readsJson === true ? [400, 413] : []),
  ]);
  const problem = { $ref: "#/components/schemas/Problem" };
  const idempotencyKey = {
    name: "Idempotency-Key",
    in: "header" as const,
    required: false,
    description: "Replays the first response for 24 hours when the same key comes with an equal body.",
    schema: { type: "string" as const, maxLength: 255 },
  };
  const description = [doc.description, permission?.note].filter((text) => text !== undefined).join("\n\n");
  const described = describeRoute({
    tags: [doc.tag],
    summary: doc.summary,
    ...(description === "" ? {} : { description }),
    ...(permission === null
      ? { security: SECURITY[auth === "cookie" ? "cookie" : "none"] }
      : {
          security: permission.security,
          "x-permission": permission["x-permission"],
          "x-roles": permission["x-roles"],
          ...(permission["x-scopes"] === undefined ? {} : { "x-scopes": permission["x-scopes"] }),
        }),
    parameters: [
      ...(doc.query ?? []).map((q) => ({
        name: q.name,
        in: "query" as const,
        required: false,
        description: q.description,
        schema: q.schema ?? { type: "string" as const },
      })),
      ...(doc.idempotent === true ? [idempotencyKey] : []),
    ],
    ...(doc.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { [doc.bodyType ?? "application/json"]: { schema: schemaOf(doc.body) } },
          },
        }),
    responses: {
      [doc.success.status]: {
        description: doc.success.description,
        ...(doc.success.schema === undefined
          ? {}
          : {
              content: {
                [doc.success.contentType ?? "application/json"]: { schema: schemaOf(doc.success.schema) },
              },
            }),
      },
      ...(doc.alsoSuccess === undefined
        ? {}
        : {
            [doc.alsoSuccess.status]: {
              description: doc.alsoSuccess.description,
              content: { "application/json": { schema: schemaOf(doc.alsoSuccess.schema) } },
            },
          }),
      ...Object.fromEntries(
        [...problems].sort().map((status) => [
          status,
          {
            description: STATUS_TEXT[status] ?? "A problem.",
            content: { "application/problem+json": { schema: problem } },
          },
        ]),
      ),
    },
  });
  if (doc.permission === undefined || auth !== true) {
    return described;
  }
  // The check carries the description, so that hono-openapi finds it where it finds describeRoute's.
  const spec = (described as unknown as Record<symbol, unknown>)[uniqueSymbol];
  return Object.assign(permissionCheck(doc.permission), { [uniqueSymbol]: spec });
}

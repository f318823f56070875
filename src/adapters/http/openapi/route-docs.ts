import type { MiddlewareHandler } from "hono";
import { describeRoute, resolver } from "hono-openapi";
import type * as v from "valibot";

/** A schema in the document, from the same valibot schema that validates (checks it cannot express are left out). */
export const schemaOf = (schema: v.GenericSchema) => resolver(schema, { errorMode: "ignore" });

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "The request breaks a rule (`validation_failed`) or is not JSON (`malformed_request`).",
  401: "Missing or bad token (`unauthorized`), or wrong email or password (`invalid_credentials`).",
  404: "Absent, or belonging to another user (`not_found`).",
  409: "A conflict: `email_taken`, `insufficient_stock`, `subscriber_busy`, `sku_taken`, `idempotency_in_progress`.",
  413: "The body is over 64 KiB (`payload_too_large`).",
  422: "Understood but refused: `payment_config_missing`, `payment_config_unverified`, `amount_mismatch`, `idempotency_conflict`, `payout_config_missing`, `payout_limit_exceeded`, `business_limit_reached`.",
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
  /** The problem statuses the route can answer with (401 is added for bearer-token routes). */
  readonly problems?: readonly number[];
};

const SECURITY = { bearer: [{ bearerAuth: [] }], cookie: [{ sessionCookie: [] }], none: [] };

/** The OpenAPI description of one route, built from its valibot schemas. */
export function routeDoc(doc: RouteDoc): MiddlewareHandler {
  const auth = doc.auth ?? true;
  const problems = new Set([
    ...(doc.problems ?? []),
    ...(auth === true ? [401] : []),
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
  return describeRoute({
    tags: [doc.tag],
    summary: doc.summary,
    ...(doc.description === undefined ? {} : { description: doc.description }),
    security: SECURITY[auth === true ? "bearer" : auth === "cookie" ? "cookie" : "none"],
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
}

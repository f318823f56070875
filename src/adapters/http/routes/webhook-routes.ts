import { Hono } from "hono";
import * as v from "valibot";
import type { CreateWebhookEndpoint } from "../../../application/webhooks/create-webhook-endpoint.ts";
import type { DeleteWebhookEndpoint } from "../../../application/webhooks/delete-webhook-endpoint.ts";
import type { GetEvent } from "../../../application/webhooks/get-event.ts";
import type { ListEvents } from "../../../application/webhooks/list-events.ts";
import type { ListWebhookEndpoints } from "../../../application/webhooks/list-webhook-endpoints.ts";
import type { RedeliverEvent } from "../../../application/webhooks/redeliver-event.ts";
import type { RotateWebhookSecret } from "../../../application/webhooks/rotate-webhook-secret.ts";
import type { SendTestWebhook } from "../../../application/webhooks/send-test-webhook.ts";
import type { UpdateWebhookEndpoint } from "../../../application/webhooks/update-webhook-endpoint.ts";
import { EVENT_TYPES, WebhookEndpoint } from "../../../domain/webhook-endpoint.ts";
import { domainValue } from "../domain-value.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { page } from "../openapi/resource-schemas.ts";
import { PAGE_QUERY, routeDoc } from "../openapi/route-docs.ts";
import { PAGE_ENTRIES, pageOf } from "../pagination.ts";
import { problemResponse } from "../problem.ts";
import { jsonBody, pathParams, queryParams, readBody } from "../request-body.ts";
import { idParam } from "../schemas.ts";
import { presentDeliveries, presentEndpoint, presentEvent } from "../webhook-presenters.ts";

const urlField = domainValue((input) => WebhookEndpoint.parseUrl(input), {
  type: "string",
  format: "uri",
  maxLength: WebhookEndpoint.URL_MAX,
  description: "Where events are POSTed: http(s), no credentials; https and a public address in production.",
});
const eventsField = domainValue((input) => WebhookEndpoint.parseEvents(input), {
  type: "array",
  items: { type: "string", enum: ["*", ...EVENT_TYPES] },
  description: 'The event types sent to this endpoint, or ["*"] (every type, the default).',
});
const descriptionField = domainValue((input) => WebhookEndpoint.parseDescription(input), {
  type: ["string", "null"],
  maxLength: WebhookEndpoint.DESCRIPTION_MAX,
});

export const CreateEndpointBody = v.object({
  url: urlField,
  events: v.optional(eventsField),
  description: v.optional(descriptionField),
});

export const UpdateEndpointBody = v.object({
  url: v.optional(urlField),
  events: v.optional(eventsField),
  description: v.optional(descriptionField),
  enabled: v.optional(v.boolean("must be true or false")),
});

const RedeliverBody = v.object({ endpointId: v.optional(idParam) });

const BusinessPath = v.object({ businessId: idParam });
const EndpointPath = v.object({ businessId: idParam, id: idParam });
const EventPath = v.object({ id: idParam });
const EventsQuery = v.pipe(
  v.object({
    type: v.optional(v.picklist(EVENT_TYPES, `must be one of ${EVENT_TYPES.join(", ")}`)),
    ...PAGE_ENTRIES,
  }),
  v.transform(({ limit, cursor, type }) => ({ type, page: pageOf({ limit, cursor }) })),
);

const timestamp = v.pipe(v.string(), v.isoTimestamp());
const EndpointSchema = v.object({
  id: v.string(),
  businessId: v.string(),
  url: v.string(),
  events: v.array(v.string()),
  description: v.nullable(v.string()),
  enabled: v.boolean(),
  disabledReason: v.nullable(v.string()),
  createdAt: timestamp,
});
const DeliverySchema = v.object({
  endpointId: v.string(),
  attempt: v.number(),
  status: v.picklist(["delivered", "failed", "pending"]),
  responseStatus: v.optional(v.number()),
  durationMs: v.optional(v.number()),
  error: v.optional(v.string()),
  at: timestamp,
});
const EventSchema = v.object({
  id: v.string(),
  type: v.string(),
  createdAt: timestamp,
  businessId: v.string(),
  data: v.object({ object: v.unknown() }),
});
const SecretSchema = v.pipe(
  v.string(),
  v.description("whsec_ and base64: shown this once. Verify signatures with any Standard Webhooks library."),
);

/**
 * Webhooks: a business's endpoints (`/api/businesses/:businessId/webhook-endpoints`) and its events
 * (`/api/businesses/:businessId/events`, `/api/events/:id`). Mounted behind the bearer-token guard.
 */
export function webhookRoutes(deps: {
  readonly createWebhookEndpoint: CreateWebhookEndpoint;
  readonly listWebhookEndpoints: ListWebhookEndpoints;
  readonly updateWebhookEndpoint: UpdateWebhookEndpoint;
  readonly deleteWebhookEndpoint: DeleteWebhookEndpoint;
  readonly rotateWebhookSecret: RotateWebhookSecret;
  readonly sendTestWebhook: SendTestWebhook;
  readonly listEvents: ListEvents;
  readonly getEvent: GetEvent;
  readonly redeliverEvent: RedeliverEvent;
}): Hono<HttpEnv> {
  return new Hono<HttpEnv>()
    .post(
      "/api/businesses/:businessId/webhook-endpoints",
      routeDoc({
        tag: "Webhooks",
        summary: "Add a webhook endpoint",
        permission: "webhooks:write",
        description: "Its signing secret is in this answer only; it is stored sealed and never shown again.",
        readsJson: true,
        success: {
          status: 201,
          description: "The endpoint and its secret.",
          schema: v.object({ endpoint: EndpointSchema, secret: SecretSchema }),
        },
        problems: [404],
      }),
      pathParams(BusinessPath),
      jsonBody(CreateEndpointBody),
      async (c) => {
        const body = c.req.valid("json");
        const result = await deps.createWebhookEndpoint.execute({
          access: c.var.access,
          businessId: c.req.valid("param").businessId,
          url: body.url,
          events: body.events ?? (["*"] as const),
          description: body.description ?? null,
        });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        c.var.log.info({ endpointId: result.value.endpoint.id }, "webhook endpoint added");
        return c.json({ endpoint: presentEndpoint(result.value.endpoint), secret: result.value.secret }, 201);
      },
    )
    .get(
      "/api/businesses/:businessId/webhook-endpoints",
      routeDoc({
        tag: "Webhooks",
        summary: "A business's webhook endpoints",
        permission: "webhooks:write",
        success: {
          status: 200,
          description: "Oldest first, each with its latest delivery attempt (lastDelivery).",
          schema: v.object({ endpoints: v.array(EndpointSchema) }),
        },
        problems: [400, 404],
      }),
      pathParams(BusinessPath),
      async (c) => {
        const result = await deps.listWebhookEndpoints.execute({
          access: c.var.access,
          businessId: c.req.valid("param").businessId,
        });
        return result.ok
          ? c.json({ endpoints: result.value.map((e) => presentEndpoint(e.endpoint, e.lastAttempt)) })
          : problemResponse(c, problemFor(result.error));
      },
    )
    .patch(
      "/api/businesses/:businessId/webhook-endpoints/:id",
      routeDoc({
        tag: "Webhooks",
        summary: "Change, enable or disable a webhook endpoint",
        permission: "webhooks:write",
        description: "Enabling an endpoint again clears its disabled reason.",
        readsJson: true,
        success: {
          status: 200,
          description: "The endpoint.",
          schema: v.object({ endpoint: EndpointSchema }),
        },
        problems: [404],
      }),
      pathParams(EndpointPath),
      jsonBody(UpdateEndpointBody),
      async (c) => {
        const { businessId, id } = c.req.valid("param");
        const body = c.req.valid("json");
        const result = await deps.updateWebhookEndpoint.execute({
          access: c.var.access,
          businessId,
          endpointId: id,
          ...(body.url === undefined ? {} : { url: body.url }),
          ...(body.events === undefined ? {} : { events: body.events }),
          ...(body.description === undefined ? {} : { description: body.description }),
          ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
        });
        return result.ok
          ? c.json({ endpoint: presentEndpoint(result.value) })
          : problemResponse(c, problemFor(result.error));
      },
    )
    .delete(
      "/api/businesses/:businessId/webhook-endpoints/:id",
      routeDoc({
        tag: "Webhooks",
        summary: "Delete a webhook endpoint",
        permission: "webhooks:write",
        success: { status: 204, description: "Deleted, with its deliveries." },
        problems: [400, 404],
      }),
      pathParams(EndpointPath),
      async (c) => {
        const { businessId, id } = c.req.valid("param");
        const result = await deps.deleteWebhookEndpoint.execute({
          access: c.var.access,
          businessId,
          endpointId: id,
        });
        return result.ok ? c.body(null, 204) : problemResponse(c, problemFor(result.error));
      },
    )
    .post(
      "/api/businesses/:businessId/webhook-endpoints/:id/rotate-secret",
      routeDoc({
        tag: "Webhooks",
        summary: "Rotate an endpoint's signing secret",
        permission: "webhooks:write",
        description: "The old secret keeps signing beside the new one (two signatures) for 24 hours.",
        success: {
          status: 200,
          description: "The endpoint and its new secret.",
          schema: v.object({ endpoint: EndpointSchema, secret: SecretSchema }),
        },
        problems: [400, 404],
      }),
      pathParams(EndpointPath),
      async (c) => {
        const { businessId, id } = c.req.valid("param");
        const result = await deps.rotateWebhookSecret.execute({
          access: c.var.access,
          businessId,
          endpointId: id,
        });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        c.var.log.info({ endpointId: id }, "webhook secret rotated");
        return c.json({ endpoint: presentEndpoint(result.value.endpoint), secret: result.value.secret });
      },
    )
    .post(
      "/api/businesses/:businessId/webhook-endpoints/:id/test",
      routeDoc({
        tag: "Webhooks",
        summary: "Send a test ping event to an endpoint",
        permission: "webhooks:write",
        success: {
          status: 202,
          description: "The ping event, queued.",
          schema: v.object({ event: EventSchema }),
        },
        problems: [400, 404, 409],
      }),
      pathParams(EndpointPath),
      async (c) => {
        const { businessId, id } = c.req.valid("param");
        const result = await deps.sendTestWebhook.execute({
          access: c.var.access,
          businessId,
          endpointId: id,
        });
        return result.ok
          ? c.json({ event: presentEvent(result.value) }, 202)
          : problemResponse(c, problemFor(result.error));
      },
    )
    .get(
      "/api/businesses/:businessId/events",
      routeDoc({
        tag: "Webhooks",
        summary: "A business's events",
        permission: "events:read",
        query: [{ name: "type", description: `One of ${EVENT_TYPES.join(", ")}.` }, ...PAGE_QUERY],
        success: { status: 200, description: "Newest first.", schema: page("events", EventSchema) },
        problems: [400, 404],
      }),
      pathParams(BusinessPath),
      queryParams(EventsQuery),
      async (c) => {
        const { type, page } = c.req.valid("query");
        const result = await deps.listEvents.execute({
          access: c.var.access,
          businessId: c.req.valid("param").businessId,
          ...(type === undefined ? {} : { type }),
          page,
        });
        return result.ok
          ? c.json({ events: result.value.items.map(presentEvent), nextCursor: result.value.nextCursor })
          : problemResponse(c, problemFor(result.error));
      },
    )
    .get(
      "/api/events/:id",
      routeDoc({
        tag: "Webhooks",
        summary: "One event and its deliveries",
        permission: "events:read",
        success: {
          status: 200,
          description: "Every attempt, oldest first, then each delivery still pending.",
          schema: v.object({ event: EventSchema, deliveries: v.array(DeliverySchema) }),
        },
        problems: [400, 404],
      }),
      pathParams(EventPath),
      async (c) => {
        const result = await deps.getEvent.execute({
          access: c.var.access,
          eventId: c.req.valid("param").id,
        });
        return result.ok
          ? c.json({
              event: presentEvent(result.value.event),
              deliveries: presentDeliveries(result.value.deliveries, result.value.attempts),
            })
          : problemResponse(c, problemFor(result.error));
      },
    )
    .post(
      "/api/events/:id/redeliver",
      routeDoc({
        tag: "Webhooks",
        summary: "Send an event again",
        permission: "webhooks:write",
        description:
          "To one endpoint (endpointId), or to every enabled endpoint that had it or subscribes to its type; on a fresh retry schedule. The body may be left out.",
        body: RedeliverBody,
        success: {
          status: 202,
          description: "Queued: the endpoints the event will be sent to again.",
          schema: v.object({ endpointIds: v.array(v.string()) }),
        },
        problems: [404],
      }),
      pathParams(EventPath),
      async (c) => {
        const length = c.req.header("content-length");
        const hasBody =
          (length !== undefined && length !== "0") || c.req.header("transfer-encoding") !== undefined;
        let endpointId: string | undefined;
        if (hasBody) {
          const body = await readBody(c, RedeliverBody);
          if (!body.ok) {
            return body.error;
          }
          endpointId = body.value.endpointId;
        }
        const result = await deps.redeliverEvent.execute({
          access: c.var.access,
          eventId: c.req.valid("param").id,
          ...(endpointId === undefined ? {} : { endpointId }),
        });
        return result.ok
          ? c.json({ endpointIds: result.value.endpointIds }, 202)
          : problemResponse(c, problemFor(result.error));
      },
    );
}

import { EntitySchema } from "@mikro-orm/core";
import type {
  DeliveryAttempt,
  DeliveryStatus,
  WebhookDelivery,
} from "../../../application/ports/webhook-delivery-repository.ts";

const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;

export interface WebhookDeliveryRow {
  id: string;
  eventId: string;
  endpointId: string;
  businessId: string;
  status: DeliveryStatus;
  attempts: number;
  scheduleStep: number;
  nextAttemptAt: Date;
  /** The pg-boss job that makes the next attempt; null when there is none. */
  jobId: string | null;
  createdAt: Date;
}

/**
 * One event to one endpoint, and the truth about it. Its attempts are scheduled and claimed through pg-boss jobs
 * (the row names the current one). Deleted with their event (retention) or their endpoint.
 */
export const WebhookDeliverySchema = new EntitySchema<WebhookDeliveryRow>({
  name: "WebhookDeliveryRow",
  tableName: "webhook_deliveries",
  uniques: [{ name: "webhook_deliveries_event_endpoint_unique", properties: ["eventId", "endpointId"] }],
  indexes: [
    { name: "webhook_deliveries_endpoint_id_index", properties: ["endpointId"] },
    {
      name: "webhook_deliveries_due_index",
      expression:
        'create index "webhook_deliveries_due_index" on "webhook_deliveries" ("next_attempt_at") where "status" = \'pending\'',
    },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    eventId: {
      kind: "m:1",
      entity: "OutboxEventRow",
      mapToPk: true,
      fieldName: "event_id",
      deleteRule: "cascade",
    },
    endpointId: {
      kind: "m:1",
      entity: "WebhookEndpointRow",
      mapToPk: true,
      fieldName: "endpoint_id",
      deleteRule: "cascade",
    },
    businessId: { type: "uuid" },
    status: { enum: true, items: () => [...DELIVERY_STATUSES], type: "text" },
    attempts: { type: "integer" },
    scheduleStep: { type: "integer" },
    nextAttemptAt: { type: "datetime", columnType: "timestamptz" },
    jobId: { type: "uuid", nullable: true },
    createdAt: { type: "datetime", columnType: "timestamptz" },
  },
});

export const webhookDeliveryToRow = (delivery: WebhookDelivery): WebhookDeliveryRow => ({ ...delivery });

export const webhookDeliveryToDomain = (row: WebhookDeliveryRow): WebhookDelivery => ({
  id: row.id,
  eventId: row.eventId,
  endpointId: row.endpointId,
  businessId: row.businessId,
  status: row.status,
  attempts: row.attempts,
  scheduleStep: row.scheduleStep,
  nextAttemptAt: row.nextAttemptAt,
  jobId: row.jobId,
  createdAt: row.createdAt,
});

export interface WebhookAttemptRow {
  id: string;
  deliveryId: string;
  eventId: string;
  endpointId: string;
  attempt: number;
  status: "delivered" | "failed";
  responseStatus: number | null;
  durationMs: number | null;
  error: string | null;
  at: Date;
}

/** Every attempt of a delivery: what the receiver answered, how long it took, what went wrong. */
export const WebhookAttemptSchema = new EntitySchema<WebhookAttemptRow>({
  name: "WebhookAttemptRow",
  tableName: "webhook_attempts",
  indexes: [
    { name: "webhook_attempts_event_id_index", properties: ["eventId"] },
    { name: "webhook_attempts_endpoint_id_at_index", properties: ["endpointId", "at"] },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    deliveryId: {
      kind: "m:1",
      entity: "WebhookDeliveryRow",
      mapToPk: true,
      fieldName: "delivery_id",
      deleteRule: "cascade",
    },
    eventId: { type: "uuid" },
    endpointId: { type: "uuid" },
    attempt: { type: "integer" },
    status: { enum: true, items: () => ["delivered", "failed"], type: "text" },
    responseStatus: { type: "integer", nullable: true },
    durationMs: { type: "integer", nullable: true },
    error: { type: "text", nullable: true },
    at: { type: "datetime", columnType: "timestamptz" },
  },
});

export const webhookAttemptToRow = (attempt: DeliveryAttempt): WebhookAttemptRow => ({ ...attempt });
export const webhookAttemptToDomain = (row: WebhookAttemptRow): DeliveryAttempt => ({ ...row });

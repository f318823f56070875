import { EntitySchema } from "@mikro-orm/core";
import type { OutboxEvent, OutboxEventType } from "../../../application/ports/outbox-repository.ts";

export interface OutboxEventRow {
  id: string;
  businessId: string;
  type: OutboxEventType;
  payload: { object: unknown };
  createdAt: Date;
}

/** The outbox: a business's events in order. No foreign key: an event outlives nothing it names. */
export const OutboxEventSchema = new EntitySchema<OutboxEventRow>({
  name: "OutboxEventRow",
  tableName: "outbox_events",
  indexes: [{ name: "outbox_events_business_created_at_index", properties: ["businessId", "createdAt"] }],
  properties: {
    id: { type: "uuid", primary: true },
    businessId: { type: "uuid" },
    type: { type: "text" },
    payload: { type: "json" },
    createdAt: { type: "datetime", columnType: "timestamptz" },
  },
});

export const outboxEventToRow = (event: OutboxEvent): OutboxEventRow => ({
  id: event.id,
  businessId: event.businessId,
  type: event.type,
  payload: { object: event.data.object },
  createdAt: event.createdAt,
});

export const outboxEventToDomain = (row: OutboxEventRow): OutboxEvent => ({
  id: row.id,
  type: row.type,
  createdAt: row.createdAt,
  businessId: row.businessId,
  data: { object: row.payload.object },
});

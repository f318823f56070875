import { EntitySchema } from "@mikro-orm/core";
import type { OutboxEvent, OutboxEventType } from "../../../application/ports/outbox-repository.ts";

export interface OutboxEventRow {
  id: string;
  businessId: string;
  type: OutboxEventType;
  payload: { object: unknown };
  createdAt: Date;
  /** When the webhook fan-out took it (null until then). */
  dispatchedAt?: Date | null;
}

/** The outbox: a business's events in order. No foreign key: an event outlives nothing it names. */
export const OutboxEventSchema = new EntitySchema<OutboxEventRow>({
  name: "OutboxEventRow",
  tableName: "outbox_events",
  indexes: [
    { name: "outbox_events_business_created_at_index", properties: ["businessId", "createdAt"] },
    { name: "outbox_events_created_at_index", properties: ["createdAt"] },
    {
      name: "outbox_events_undispatched_index",
      expression:
        'create index "outbox_events_undispatched_index" on "outbox_events" ("created_at") where "dispatched_at" is null',
    },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    businessId: { type: "uuid" },
    type: { type: "text" },
    payload: { type: "json" },
    createdAt: { type: "datetime", columnType: "timestamptz" },
    dispatchedAt: { type: "datetime", columnType: "timestamptz", nullable: true },
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

import { EntitySchema } from "@mikro-orm/core";
import {
  PAYOUT_EVENT_TYPES,
  type PayoutEvent,
  type PayoutEventType,
} from "../../../application/ports/payout-event-repository.ts";

export interface PayoutEventRow {
  id: string;
  payoutId: string;
  at: Date;
  type: PayoutEventType;
  detail: Record<string, string | number | null>;
}

/** The journal of what PayMe did about each payout; the callbacks about it are in mpesa_callbacks. */
export const PayoutEventSchema = new EntitySchema<PayoutEventRow>({
  name: "PayoutEventRow",
  tableName: "payout_events",
  indexes: [{ name: "payout_events_payout_id_at_index", properties: ["payoutId", "at"] }],
  properties: {
    id: { type: "uuid", primary: true },
    payoutId: { kind: "m:1", entity: "PayoutRow", mapToPk: true, fieldName: "payout_id" },
    at: { type: "datetime", columnType: "timestamptz" },
    type: { enum: true, items: () => [...PAYOUT_EVENT_TYPES], type: "text" },
    detail: { type: "json" },
  },
});

export const payoutEventToRow = (event: PayoutEvent): PayoutEventRow => ({
  ...event,
  detail: { ...event.detail },
});

export const payoutEventToDomain = (row: PayoutEventRow): PayoutEvent => ({ ...row });

import { EntitySchema } from "@mikro-orm/core";
import {
  C2B_CHECK_STATUSES,
  type C2bCheck,
  type C2bCheckStatus,
} from "../../../application/ports/c2b-check-repository.ts";

/** The notification as stored: its time as ISO text. */
type StoredNotification = Omit<C2bCheck["notification"], "paidAt"> & { paidAt: string };

export interface C2bCheckRow {
  id: string;
  businessId: string;
  tokenHash: string;
  notification: StoredNotification;
  auditRecordId: string;
  status: C2bCheckStatus;
  createdAt: Date;
}

/** Untrusted C2B confirmations waiting for a Transaction Status query to confirm them. */
export const C2bCheckSchema = new EntitySchema<C2bCheckRow>({
  name: "C2bCheckRow",
  tableName: "c2b_checks",
  properties: {
    id: { type: "uuid", primary: true },
    businessId: { kind: "m:1", entity: "BusinessRow", mapToPk: true, fieldName: "business_id" },
    tokenHash: { type: "text", unique: "c2b_checks_token_hash_unique" },
    notification: { type: "json" },
    auditRecordId: { type: "uuid" },
    status: { enum: true, items: () => [...C2B_CHECK_STATUSES], type: "text" },
    createdAt: { type: "datetime", columnType: "timestamptz" },
  },
});

export const c2bCheckToRow = (check: C2bCheck): C2bCheckRow => ({
  ...check,
  notification: { ...check.notification, paidAt: check.notification.paidAt.toISOString() },
});

export const c2bCheckToDomain = (row: C2bCheckRow): C2bCheck => ({
  ...row,
  notification: { ...row.notification, paidAt: new Date(row.notification.paidAt) },
});

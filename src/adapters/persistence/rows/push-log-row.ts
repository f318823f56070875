import { EntitySchema } from "@mikro-orm/core";
import type { PushKind, PushRecord } from "../../../application/ports/push-log-repository.ts";

export interface PushLogRow {
  id: string;
  kind: PushKind;
  userId: string;
  businessId: string | null;
  phone: string;
  createdAt: Date;
}

const KINDS: PushKind[] = ["wallet", "sale", "verification"];

/**
 * Every STK push admitted in the last hour, which the push limits count. No foreign keys: the rows live an hour,
 * and each insert sits on the push's hot path. The indexes serve the counts: per business and phone (the wallet's
 * business is null), per business, per user and kind, and the purge by age.
 */
export const PushLogSchema = new EntitySchema<PushLogRow>({
  name: "PushLogRow",
  tableName: "stk_push_log",
  indexes: [
    { name: "stk_push_log_business_phone_index", properties: ["businessId", "phone", "createdAt"] },
    { name: "stk_push_log_business_index", properties: ["businessId", "createdAt"] },
    { name: "stk_push_log_user_index", properties: ["userId", "kind", "createdAt"] },
    { name: "stk_push_log_created_at_index", properties: ["createdAt"] },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    kind: { enum: true, items: () => KINDS, type: "text" },
    userId: { type: "uuid" },
    businessId: { type: "uuid", nullable: true },
    phone: { type: "text" },
    createdAt: { type: "datetime", columnType: "timestamptz" },
  },
});

export const pushToRow = (push: PushRecord): PushLogRow => ({ ...push });

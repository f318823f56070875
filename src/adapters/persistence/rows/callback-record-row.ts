import { EntitySchema } from "@mikro-orm/core";
import type {
  CallbackDisposition,
  CallbackRecord,
} from "../../../application/ports/callback-audit-repository.ts";

export interface CallbackRecordRow {
  id: string;
  receivedAt: Date;
  kind: CallbackRecord["kind"];
  path: string;
  trusted: boolean;
  checkoutRequestId: string | null;
  paymentRef: string | null;
  disposition: CallbackDisposition;
  body: unknown;
}

const KINDS: CallbackRecord["kind"][] = [
  "stk_callback",
  "b2c_result",
  "b2c_queue_timeout",
  "status_result",
  "status_timeout",
  "c2b_confirmation",
  "c2b_validation",
  "c2b_status_result",
  "balance_result",
  "balance_timeout",
  "reversal_result",
  "reversal_timeout",
];
const DISPOSITIONS: CallbackDisposition[] = [
  "applied",
  "no_change",
  "flagged",
  "awaiting_confirmation",
  "confirmed",
  "unconfirmed",
  "unknown_payment",
  "invalid",
];

/** Every callback Safaricom (or anyone) sent, as received, with what became of it. */
export const CallbackRecordSchema = new EntitySchema<CallbackRecordRow>({
  name: "CallbackRecordRow",
  tableName: "mpesa_callbacks",
  indexes: [
    { name: "mpesa_callbacks_payment_ref_index", properties: ["paymentRef", "receivedAt"] },
    { name: "mpesa_callbacks_checkout_request_id_index", properties: ["checkoutRequestId"] },
    // The purge of records older than CALLBACK_AUDIT_DAYS walks it, oldest first.
    { name: "mpesa_callbacks_received_at_index", properties: ["receivedAt"] },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    receivedAt: { type: "datetime", columnType: "timestamptz" },
    kind: { enum: true, items: () => KINDS, type: "text" },
    path: { type: "text" },
    trusted: { type: "boolean" },
    checkoutRequestId: { type: "text", nullable: true },
    paymentRef: { type: "text", nullable: true },
    disposition: { enum: true, items: () => DISPOSITIONS, type: "text" },
    body: { type: "json" },
  },
});

export const callbackRecordToRow = (record: CallbackRecord): CallbackRecordRow => ({ ...record });

export const callbackRecordToDomain = (row: CallbackRecordRow): CallbackRecord => ({ ...row });

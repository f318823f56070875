import { EntitySchema } from "@mikro-orm/core";
import { Kes } from "../../../domain/kes.ts";
import { PUSH_OUTCOMES, type PushOutcome } from "../../../domain/push-outcome.ts";
import {
  REFUND_METHODS,
  REFUND_STATUSES,
  Refund,
  type RefundMethod,
  type RefundStatus,
} from "../../../domain/refund.ts";

export interface RefundRow {
  id: string;
  businessId: string;
  requestedBy: string;
  saleId: string | null;
  c2bPaymentId: string | null;
  originalReceipt: string;
  method: RefundMethod;
  amount: number;
  reason: string | null;
  restock: boolean;
  payoutId: string | null;
  paymentConfigId: string | null;
  originatorConversationId: string | null;
  conversationId: string | null;
  callbackTokenHash: string | null;
  queueTimedOutAt: Date | null;
  statusTokenHash: string | null;
  statusQueriedAt: Date | null;
  statusQueries: number;
  status: RefundStatus;
  pushOutcome: PushOutcome;
  mpesaReceipt: string | null;
  resultCode: string | null;
  failureReason: string | null;
  needsAttention: boolean;
  attentionReason: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

export const RefundSchema = new EntitySchema<RefundRow>({
  name: "RefundRow",
  tableName: "refunds",
  indexes: [
    // A receipt's refunds: what is left to refund, and a payment's list.
    { name: "refunds_business_id_original_receipt_index", properties: ["businessId", "originalReceipt"] },
    {
      name: "refunds_pending_index",
      expression: `create index "refunds_pending_index" on "refunds" ("created_at") where "status" = 'pending'`,
    },
  ],
  checks: [{ name: "refunds_amount_range", expression: "(amount >= 1) AND (amount <= 1000000)" }],
  properties: {
    id: { type: "uuid", primary: true },
    businessId: { kind: "m:1", entity: "BusinessRow", mapToPk: true, fieldName: "business_id" },
    requestedBy: { kind: "m:1", entity: "UserRow", mapToPk: true, fieldName: "requested_by" },
    saleId: { kind: "m:1", entity: "SaleRow", mapToPk: true, fieldName: "sale_id", nullable: true },
    c2bPaymentId: {
      kind: "m:1",
      entity: "C2bPaymentRow",
      mapToPk: true,
      fieldName: "c2b_payment_id",
      nullable: true,
    },
    originalReceipt: { type: "text" },
    method: { enum: true, items: () => [...REFUND_METHODS], type: "text" },
    amount: { type: "integer" },
    reason: { type: "text", nullable: true },
    restock: { type: "boolean" },
    payoutId: {
      kind: "m:1",
      entity: "PayoutRow",
      mapToPk: true,
      fieldName: "payout_id",
      nullable: true,
      unique: "refunds_payout_id_unique",
    },
    paymentConfigId: {
      kind: "m:1",
      entity: "PaymentConfigRow",
      mapToPk: true,
      fieldName: "payment_config_id",
      nullable: true,
    },
    originatorConversationId: { type: "text", nullable: true },
    conversationId: { type: "text", nullable: true },
    callbackTokenHash: { type: "text", nullable: true, unique: "refunds_callback_token_hash_unique" },
    queueTimedOutAt: { type: "datetime", columnType: "timestamptz", nullable: true },
    statusTokenHash: { type: "text", nullable: true, unique: "refunds_status_token_hash_unique" },
    statusQueriedAt: { type: "datetime", columnType: "timestamptz", nullable: true },
    statusQueries: { type: "integer", default: 0 },
    status: { enum: true, items: () => [...REFUND_STATUSES], type: "text" },
    pushOutcome: { enum: true, items: () => [...PUSH_OUTCOMES], type: "text" },
    mpesaReceipt: { type: "text", nullable: true },
    resultCode: { type: "text", nullable: true },
    failureReason: { type: "text", nullable: true },
    needsAttention: { type: "boolean", default: false },
    attentionReason: { type: "text", nullable: true },
    createdAt: { type: "datetime", columnType: "timestamptz" },
    completedAt: { type: "datetime", columnType: "timestamptz", nullable: true },
  },
});

/** One row per receipt that was ever refunded: refunds of the receipt lock it in turn (see lockReceipt). */
export interface RefundReceiptRow {
  businessId: string;
  receipt: string;
}

export const RefundReceiptSchema = new EntitySchema<RefundReceiptRow>({
  name: "RefundReceiptRow",
  tableName: "refund_receipts",
  properties: {
    businessId: { type: "uuid", primary: true },
    receipt: { type: "text", primary: true },
  },
});

export const refundToRow = (refund: Refund): RefundRow => {
  const s = refund.snapshot();
  return { ...s, amount: s.amount.value };
};

export const refundToDomain = (row: RefundRow): Refund =>
  Refund.restore({ ...row, amount: Kes.restore(row.amount) });

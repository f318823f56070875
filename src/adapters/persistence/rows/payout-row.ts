import { EntitySchema } from "@mikro-orm/core";
import { Kes } from "../../../domain/kes.ts";
import { Msisdn } from "../../../domain/msisdn.ts";
import {
  PAYOUT_COMMANDS,
  PAYOUT_STATUSES,
  Payout,
  type PayoutCommand,
  type PayoutStatus,
} from "../../../domain/payout.ts";
import { PUSH_OUTCOMES, type PushOutcome } from "../../../domain/push-outcome.ts";

export interface PayoutRow {
  id: string;
  businessId: string;
  requestedBy: string;
  payoutConfigId: string;
  amount: number;
  phone: string;
  commandId: PayoutCommand;
  remarks: string;
  originatorConversationId: string;
  conversationId: string | null;
  callbackTokenHash: string;
  queueTimedOutAt: Date | null;
  statusTokenHash: string | null;
  statusQueriedAt: Date | null;
  statusQueries: number;
  status: PayoutStatus;
  pushOutcome: PushOutcome | null;
  mpesaReceipt: string | null;
  recipientName: string | null;
  resultCode: string | null;
  failureReason: string | null;
  needsAttention: boolean;
  attentionReason: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

export const PayoutSchema = new EntitySchema<PayoutRow>({
  name: "PayoutRow",
  tableName: "payouts",
  indexes: [
    { name: "payouts_business_id_id_index", properties: ["businessId", "id"] },
    // A business's payouts of a day: the daily limit's sum, and lists filtered by time.
    { name: "payouts_business_id_created_at_index", properties: ["businessId", "createdAt"] },
    {
      name: "payouts_pending_index",
      expression: `create index "payouts_pending_index" on "payouts" ("created_at") where "status" = 'pending'`,
    },
  ],
  checks: [{ name: "payouts_amount_range", expression: "(amount >= 10) AND (amount <= 250000)" }],
  properties: {
    id: { type: "uuid", primary: true },
    businessId: { kind: "m:1", entity: "BusinessRow", mapToPk: true, fieldName: "business_id" },
    requestedBy: { kind: "m:1", entity: "UserRow", mapToPk: true, fieldName: "requested_by" },
    payoutConfigId: { kind: "m:1", entity: "PayoutConfigRow", mapToPk: true, fieldName: "payout_config_id" },
    amount: { type: "integer" },
    phone: { type: "text" },
    commandId: { enum: true, items: () => [...PAYOUT_COMMANDS], type: "text" },
    remarks: { type: "text" },
    originatorConversationId: { type: "text", unique: "payouts_originator_conversation_id_unique" },
    conversationId: { type: "text", nullable: true },
    callbackTokenHash: { type: "text", unique: "payouts_callback_token_hash_unique" },
    queueTimedOutAt: { type: "datetime", columnType: "timestamptz", nullable: true },
    statusTokenHash: { type: "text", nullable: true, unique: "payouts_status_token_hash_unique" },
    statusQueriedAt: { type: "datetime", columnType: "timestamptz", nullable: true },
    statusQueries: { type: "integer", default: 0 },
    status: { enum: true, items: () => [...PAYOUT_STATUSES], type: "text" },
    // Null on rows stored before PayMe kept the request's outcome.
    pushOutcome: { enum: true, items: () => [...PUSH_OUTCOMES], type: "text", nullable: true },
    mpesaReceipt: { type: "text", nullable: true, unique: "payouts_mpesa_receipt_unique" },
    recipientName: { type: "text", nullable: true },
    resultCode: { type: "text", nullable: true },
    failureReason: { type: "text", nullable: true },
    needsAttention: { type: "boolean", default: false },
    attentionReason: { type: "text", nullable: true },
    createdAt: { type: "datetime", columnType: "timestamptz" },
    completedAt: { type: "datetime", columnType: "timestamptz", nullable: true },
  },
});

export const payoutToRow = (payout: Payout): PayoutRow => {
  const s = payout.snapshot();
  return { ...s, amount: s.amount.value, phone: s.phone.value };
};

export const payoutToDomain = (row: PayoutRow): Payout =>
  Payout.restore({ ...row, amount: Kes.restore(row.amount), phone: Msisdn.restore(row.phone) });

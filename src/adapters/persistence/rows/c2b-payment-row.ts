import { EntitySchema } from "@mikro-orm/core";
import { C2B_SOURCES, C2bPayment, type C2bSource } from "../../../domain/c2b-payment.ts";
import { Kes } from "../../../domain/kes.ts";

export interface C2bPaymentRow {
  id: string;
  businessId: string;
  receipt: string;
  amount: number;
  phone: string;
  payerName: string | null;
  accountNumber: string | null;
  transactionType: string;
  shortcode: string;
  paidAt: Date;
  source: C2bSource;
  matchedSaleId: string | null;
  needsAttention: boolean;
  attentionReason: string | null;
  refundedAmount: number;
  createdAt: Date;
}

/** C2B payments, one per M-Pesa receipt (unique across businesses, as M-Pesa's are). */
export const C2bPaymentSchema = new EntitySchema<C2bPaymentRow>({
  name: "C2bPaymentRow",
  tableName: "c2b_payments",
  indexes: [
    { name: "c2b_payments_business_id_id_index", properties: ["businessId", "id"] },
    { name: "c2b_payments_business_id_paid_at_index", properties: ["businessId", "paidAt"] },
  ],
  checks: [{ name: "c2b_payments_amount_range", expression: "(amount >= 1) AND (amount <= 1000000)" }],
  properties: {
    id: { type: "uuid", primary: true },
    businessId: { kind: "m:1", entity: "BusinessRow", mapToPk: true, fieldName: "business_id" },
    receipt: { type: "text", unique: "c2b_payments_receipt_unique" },
    amount: { type: "integer" },
    phone: { type: "text" },
    payerName: { type: "text", nullable: true },
    accountNumber: { type: "text", nullable: true },
    transactionType: { type: "text" },
    shortcode: { type: "text" },
    paidAt: { type: "datetime", columnType: "timestamptz" },
    source: { enum: true, items: () => [...C2B_SOURCES], type: "text" },
    matchedSaleId: { type: "uuid", nullable: true },
    needsAttention: { type: "boolean" },
    attentionReason: { type: "text", nullable: true },
    refundedAmount: { type: "integer", default: 0 },
    createdAt: { type: "datetime", columnType: "timestamptz" },
  },
});

export const c2bPaymentToRow = (payment: C2bPayment): C2bPaymentRow => {
  const s = payment.snapshot();
  return { ...s, amount: s.amount.value };
};

export const c2bPaymentToDomain = (row: C2bPaymentRow): C2bPayment =>
  C2bPayment.restore({ ...row, amount: Kes.restore(row.amount) });

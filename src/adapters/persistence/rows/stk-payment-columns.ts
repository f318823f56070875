import type { EntitySchemaProperty } from "@mikro-orm/core";
import { Kes } from "../../../domain/kes.ts";
import { Msisdn } from "../../../domain/msisdn.ts";
import { PUSH_OUTCOMES, type PushOutcome } from "../../../domain/push-outcome.ts";
import { PAYMENT_STATUSES, type PaymentStatus, type StkPaymentState } from "../../../domain/stk-payment.ts";

/** The columns every STK payment table has (wallet purchases, sales). */
export interface StkPaymentColumns {
  id: string;
  status: PaymentStatus;
  amount: number;
  phone: string;
  checkoutRequestId: string | null;
  merchantRequestId: string | null;
  callbackTokenHash: string;
  mpesaReceipt: string | null;
  resultCode: string | null;
  failureReason: string | null;
  pushOutcome: PushOutcome | null;
  needsAttention: boolean;
  attentionReason: string | null;
  attentionBlocking: boolean;
  createdAt: Date;
  completedAt: Date | null;
  expiredAt: Date | null;
  checkAttempts: number;
  nextCheckAt: Date | null;
}

type Properties<R extends StkPaymentColumns> = {
  [K in keyof StkPaymentColumns]: EntitySchemaProperty<NonNullable<R[K]>, R>;
};

/** Unique: one CheckoutRequestID, one receipt, one callback token per payment. */
export function stkPaymentProperties<R extends StkPaymentColumns>(table: string): Properties<R> {
  const properties: Properties<StkPaymentColumns> = {
    id: { type: "uuid", primary: true },
    status: { enum: true, items: () => [...PAYMENT_STATUSES], type: "text" },
    amount: { type: "integer" },
    phone: { type: "text" },
    checkoutRequestId: { type: "text", nullable: true, unique: `${table}_checkout_request_id_unique` },
    merchantRequestId: { type: "text", nullable: true },
    callbackTokenHash: { type: "text", unique: `${table}_callback_token_hash_unique` },
    mpesaReceipt: { type: "text", nullable: true, unique: `${table}_mpesa_receipt_unique` },
    resultCode: { type: "text", nullable: true },
    failureReason: { type: "text", nullable: true },
    // Null on rows stored before PayMe kept the push's outcome.
    pushOutcome: { enum: true, items: () => [...PUSH_OUTCOMES], type: "text", nullable: true },
    needsAttention: { type: "boolean" },
    attentionReason: { type: "text", nullable: true },
    attentionBlocking: { type: "boolean", default: false },
    createdAt: { type: "datetime", columnType: "timestamptz" },
    completedAt: { type: "datetime", columnType: "timestamptz", nullable: true },
    expiredAt: { type: "datetime", columnType: "timestamptz", nullable: true },
    checkAttempts: { type: "integer", default: 0 },
    nextCheckAt: { type: "datetime", columnType: "timestamptz", nullable: true },
  };
  // The column options do not depend on the row type that extends these columns.
  return properties as unknown as Properties<R>;
}

/** Partial index the reconciler's claim walks: open payments (no blocking flag), oldest first. */
export function openPaymentsIndex(table: string) {
  return {
    name: `${table}_open_index`,
    expression: `create index "${table}_open_index" on "${table}" ("created_at") where "status" = 'pending' and not "attention_blocking" and "checkout_request_id" is not null`,
  };
}

export function stkPaymentColumns(state: StkPaymentState): StkPaymentColumns {
  return { ...state, amount: state.amount.value, phone: state.phone.value };
}

export function stkPaymentState(row: StkPaymentColumns): StkPaymentState {
  return {
    id: row.id,
    status: row.status,
    amount: Kes.restore(row.amount),
    phone: Msisdn.restore(row.phone),
    checkoutRequestId: row.checkoutRequestId,
    merchantRequestId: row.merchantRequestId,
    callbackTokenHash: row.callbackTokenHash,
    mpesaReceipt: row.mpesaReceipt,
    resultCode: row.resultCode,
    failureReason: row.failureReason,
    pushOutcome: row.pushOutcome,
    needsAttention: row.needsAttention,
    attentionReason: row.attentionReason,
    attentionBlocking: row.attentionBlocking,
    createdAt: row.createdAt,
    completedAt: row.completedAt,
    expiredAt: row.expiredAt,
    checkAttempts: row.checkAttempts,
    nextCheckAt: row.nextCheckAt,
  };
}

import { EntitySchema } from "@mikro-orm/core";
import { SALE_REFERENCE_UNIQUE } from "../../../application/ports/sale-repository.ts";
import { Kes } from "../../../domain/kes.ts";
import { Sale, STOCK_STATES, type StockState } from "../../../domain/sale.ts";
import { SaleReference } from "../../../domain/sale-reference.ts";
import {
  openPaymentsIndex,
  type StkPaymentColumns,
  stkPaymentColumns,
  stkPaymentProperties,
  stkPaymentState,
} from "./stk-payment-columns.ts";

export type SaleItemJson = { productId: string; name: string; quantity: number; unitPrice: number };

export interface SaleRow extends StkPaymentColumns {
  businessId: string;
  reference: string;
  paymentConfigId: string;
  items: SaleItemJson[];
  description: string | null;
  stockState: StockState;
  holdExpiresAt: Date | null;
  refundedAmount: number;
  /** Written only by MikroOrmSaleRepository.issueReceiptToken: whole-row updates leave it out, so never undo it. */
  receiptToken?: string | null;
}

export const SaleSchema = new EntitySchema<SaleRow>({
  name: "SaleRow",
  tableName: "sales",
  uniques: [{ name: SALE_REFERENCE_UNIQUE, properties: ["businessId", "reference"] }],
  indexes: [
    { name: "sales_business_id_id_index", properties: ["businessId", "id"] },
    { name: "sales_business_id_status_id_index", properties: ["businessId", "status", "id"] },
    openPaymentsIndex("sales"),
    {
      name: "sales_held_index",
      expression: `create index "sales_held_index" on "sales" ("hold_expires_at") where "stock_state" = 'reserved'`,
    },
  ],
  checks: [{ name: "sales_amount_range", expression: "(amount >= 1) AND (amount <= 250000)" }],
  properties: {
    ...stkPaymentProperties("sales"),
    businessId: { kind: "m:1", entity: "BusinessRow", mapToPk: true, fieldName: "business_id" },
    reference: { type: "text" },
    paymentConfigId: {
      kind: "m:1",
      entity: "PaymentConfigRow",
      mapToPk: true,
      fieldName: "payment_config_id",
    },
    items: { type: "json" },
    description: { type: "text", nullable: true },
    stockState: { enum: true, items: () => [...STOCK_STATES], type: "text" },
    holdExpiresAt: { type: "datetime", columnType: "timestamptz", nullable: true },
    refundedAmount: { type: "integer", default: 0 },
    receiptToken: { type: "text", nullable: true, unique: "sales_receipt_token_unique" },
  },
});

export const saleToRow = (sale: Sale): SaleRow => {
  const s = sale.snapshot();
  return {
    ...stkPaymentColumns(s),
    businessId: s.businessId,
    reference: s.reference.value,
    paymentConfigId: s.paymentConfigId,
    items: s.items.map((item) => ({ ...item, unitPrice: item.unitPrice.value })),
    description: s.description,
    stockState: s.stockState,
    holdExpiresAt: s.holdExpiresAt,
    refundedAmount: s.refundedAmount,
  };
};

export const saleToDomain = (row: SaleRow): Sale =>
  Sale.restore({
    ...stkPaymentState(row),
    businessId: row.businessId,
    reference: SaleReference.restore(row.reference),
    paymentConfigId: row.paymentConfigId,
    items: row.items.map((item) => ({ ...item, unitPrice: Kes.restore(item.unitPrice) })),
    description: row.description,
    stockState: row.stockState,
    holdExpiresAt: row.holdExpiresAt,
    refundedAmount: row.refundedAmount,
    receiptToken: row.receiptToken ?? null,
  });

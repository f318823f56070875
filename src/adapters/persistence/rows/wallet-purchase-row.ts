import { EntitySchema } from "@mikro-orm/core";
import { WalletPurchase } from "../../../domain/wallet-purchase.ts";
import {
  openPaymentsIndex,
  type StkPaymentColumns,
  stkPaymentColumns,
  stkPaymentProperties,
  stkPaymentState,
} from "./stk-payment-columns.ts";

export interface WalletPurchaseRow extends StkPaymentColumns {
  userId: string;
  tokens: number;
}

export const WalletPurchaseSchema = new EntitySchema<WalletPurchaseRow>({
  name: "WalletPurchaseRow",
  tableName: "wallet_purchases",
  indexes: [
    { name: "wallet_purchases_user_id_id_index", properties: ["userId", "id"] },
    openPaymentsIndex("wallet_purchases"),
  ],
  checks: [{ name: "wallet_purchases_amount_range", expression: "(amount >= 1) AND (amount <= 250000)" }],
  properties: {
    ...stkPaymentProperties("wallet_purchases"),
    userId: { kind: "m:1", entity: "UserRow", mapToPk: true, fieldName: "user_id" },
    tokens: { type: "integer" },
  },
});

export const walletPurchaseToRow = (purchase: WalletPurchase): WalletPurchaseRow => {
  const s = purchase.snapshot();
  return { ...stkPaymentColumns(s), userId: s.userId, tokens: s.tokens };
};

export const walletPurchaseToDomain = (row: WalletPurchaseRow): WalletPurchase =>
  WalletPurchase.restore({ ...stkPaymentState(row), userId: row.userId, tokens: row.tokens });

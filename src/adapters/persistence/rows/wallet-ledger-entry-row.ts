import { EntitySchema } from "@mikro-orm/core";
import { type LedgerEntryKind, WalletLedgerEntry } from "../../../domain/wallet-ledger-entry.ts";

export interface WalletLedgerEntryRow {
  id: string;
  userId: string;
  kind: LedgerEntryKind;
  tokens: number;
  source: string;
  createdAt: Date;
}

const KINDS: LedgerEntryKind[] = ["purchase_credit"];

export const WalletLedgerEntrySchema = new EntitySchema<WalletLedgerEntryRow>({
  name: "WalletLedgerEntryRow",
  tableName: "wallet_ledger_entries",
  indexes: [{ name: "wallet_ledger_entries_user_id_id_index", properties: ["userId", "id"] }],
  properties: {
    id: { type: "uuid", primary: true },
    userId: { kind: "m:1", entity: "UserRow", mapToPk: true, fieldName: "user_id" },
    kind: { enum: true, items: () => KINDS, type: "text" },
    tokens: { type: "integer" },
    source: { type: "text", unique: "wallet_ledger_entries_source_unique" },
    createdAt: { type: "datetime", columnType: "timestamptz" },
  },
});

export const ledgerEntryToRow = (entry: WalletLedgerEntry): WalletLedgerEntryRow => entry.snapshot();

export const ledgerEntryToDomain = (row: WalletLedgerEntryRow): WalletLedgerEntry =>
  WalletLedgerEntry.restore(row);

import { EntitySchema } from "@mikro-orm/core";
import {
  type AccountBalance,
  LOOKUP_KINDS,
  LOOKUP_STATUSES,
  type LookupKind,
  type LookupQuery,
  type LookupStatus,
  type TransactionDetails,
} from "../../../domain/lookup-query.ts";

/** A transaction or a balance as stored: its times as ISO text. */
type StoredTransaction = Omit<TransactionDetails, "completedAt"> & { completedAt: string | null };
type StoredBalance = Omit<AccountBalance, "at"> & { at: string };

export interface LookupQueryRow {
  id: string;
  businessId: string;
  kind: LookupKind;
  tokenHash: string;
  /** The receipt looked up, or the shortcode whose balance was asked. */
  subject: string;
  status: LookupStatus;
  result: StoredTransaction | StoredBalance | null;
  resultCode: string | null;
  failureReason: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

/** Transaction Status look-ups and Account Balance queries, until and after their result comes. */
export const LookupQuerySchema = new EntitySchema<LookupQueryRow>({
  name: "LookupQueryRow",
  tableName: "lookup_queries",
  properties: {
    id: { type: "uuid", primary: true },
    businessId: { kind: "m:1", entity: "BusinessRow", mapToPk: true, fieldName: "business_id" },
    kind: { enum: true, items: () => [...LOOKUP_KINDS], type: "text" },
    tokenHash: { type: "text", unique: "lookup_queries_token_hash_unique" },
    subject: { type: "text" },
    status: { enum: true, items: () => [...LOOKUP_STATUSES], type: "text" },
    result: { type: "json", nullable: true },
    resultCode: { type: "text", nullable: true },
    failureReason: { type: "text", nullable: true },
    createdAt: { type: "datetime", columnType: "timestamptz" },
    completedAt: { type: "datetime", columnType: "timestamptz", nullable: true },
  },
});

export function lookupQueryToRow(query: LookupQuery): LookupQueryRow {
  const common = {
    id: query.id,
    businessId: query.businessId,
    kind: query.kind,
    tokenHash: query.tokenHash,
    status: query.status,
    resultCode: query.resultCode,
    failureReason: query.failureReason,
    createdAt: query.createdAt,
    completedAt: query.completedAt,
  };
  if (query.kind === "transaction_status") {
    const { transaction } = query;
    return {
      ...common,
      subject: query.receipt,
      result:
        transaction === null
          ? null
          : { ...transaction, completedAt: transaction.completedAt?.toISOString() ?? null },
    };
  }
  const { balance } = query;
  return {
    ...common,
    subject: query.shortcode,
    result: balance === null ? null : { ...balance, at: balance.at.toISOString() },
  };
}

export function lookupQueryToDomain(row: LookupQueryRow): LookupQuery {
  const common = {
    id: row.id,
    businessId: row.businessId,
    tokenHash: row.tokenHash,
    status: row.status,
    resultCode: row.resultCode,
    failureReason: row.failureReason,
    createdAt: row.createdAt,
    completedAt: row.completedAt,
  };
  const result = row.result;
  if (row.kind === "transaction_status") {
    const stored = result !== null && "receipt" in result ? result : null;
    return {
      ...common,
      kind: "transaction_status",
      receipt: row.subject,
      transaction:
        stored === null
          ? null
          : { ...stored, completedAt: stored.completedAt === null ? null : new Date(stored.completedAt) },
    };
  }
  const stored = result !== null && "accounts" in result ? result : null;
  return {
    ...common,
    kind: "account_balance",
    shortcode: row.subject,
    balance: stored === null ? null : { ...stored, at: new Date(stored.at) },
  };
}

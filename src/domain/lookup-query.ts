/**
 * A question put to Daraja about a business's own money: a Transaction Status look-up of one receipt, or an
 * Account Balance of its shortcode. Daraja answers both by callback, so a query is kept until its result comes
 * (or never does); it moves no money, so an unclear answer only leaves it pending.
 */

export type LookupKind = "transaction_status" | "account_balance";
export const LOOKUP_KINDS: readonly LookupKind[] = ["transaction_status", "account_balance"];

export type LookupStatus = "pending" | "completed" | "failed";
export const LOOKUP_STATUSES: readonly LookupStatus[] = ["pending", "completed", "failed"];

/** One M-Pesa transaction as Transaction Status reports it. */
export type TransactionDetails = {
  readonly receipt: string;
  /** TransactionStatus as M-Pesa says it: "Completed", "Reversed", … */
  readonly status: string;
  /** Whole shillings, or null when M-Pesa sent none PayMe can read. */
  readonly amount: number | null;
  /** "<shortcode or phone> - <name>", as M-Pesa names the payer. */
  readonly debitParty: string | null;
  /** "<shortcode or phone> - <name>", as M-Pesa names the payee. */
  readonly creditParty: string | null;
  readonly completedAt: Date | null;
  /** "Pay Bill Online", "Business Payment to Customer via API", … */
  readonly reasonType: string | null;
};

/**
 * One account of a shortcode (Working, Utility, Float, Charges Paid, …). The figures are decimal strings exactly
 * as Daraja gives them ("700000.00"): a balance is not a payment amount, and is never rounded.
 */
export type BalanceAccount = {
  readonly name: string;
  readonly currency: string;
  readonly available: string;
  readonly reserved: string;
  readonly uncleared: string;
  readonly total: string;
};

export type AccountBalance = {
  readonly shortcode: string;
  readonly accounts: readonly BalanceAccount[];
  /** When M-Pesa took the balance (BOCompletedTime), or when PayMe received it. */
  readonly at: Date;
};

type QueryBase = {
  readonly id: string;
  readonly businessId: string;
  /** Hash of the token that ends the query's result and timeout URLs. */
  readonly tokenHash: string;
  readonly status: LookupStatus;
  /** Daraja's ResultCode, once a result came. */
  readonly resultCode: string | null;
  /** Why the query failed, fit for the person who asked. */
  readonly failureReason: string | null;
  readonly createdAt: Date;
  readonly completedAt: Date | null;
};

export type StatusQuery = QueryBase & {
  readonly kind: "transaction_status";
  readonly receipt: string;
  readonly transaction: TransactionDetails | null;
};

export type BalanceQuery = QueryBase & {
  readonly kind: "account_balance";
  readonly shortcode: string;
  readonly balance: AccountBalance | null;
};

export type LookupQuery = StatusQuery | BalanceQuery;

/** What a result (or queue timeout) callback says about a query, once the Daraja adapter has read it. */
export type LookupOutcome =
  | { readonly type: "transaction"; readonly transaction: TransactionDetails }
  | {
      readonly type: "balance";
      readonly accounts: readonly BalanceAccount[];
      readonly at: Date | null;
    }
  | { readonly type: "failed"; readonly resultCode: string | null; readonly reason: string };

/**
 * The query as the outcome leaves it, or null when it changes nothing: a query is settled once (a duplicate or
 * late callback is ignored), and an outcome of the other kind of query (a balance result on a status query's
 * URL) is not applied.
 */
export function settleLookup(query: LookupQuery, outcome: LookupOutcome, at: Date): LookupQuery | null {
  if (query.status !== "pending") {
    return null;
  }
  if (outcome.type === "failed") {
    return {
      ...query,
      status: "failed",
      resultCode: outcome.resultCode,
      failureReason: outcome.reason,
      completedAt: at,
    };
  }
  if (outcome.type === "transaction" && query.kind === "transaction_status") {
    return {
      ...query,
      status: "completed",
      resultCode: "0",
      // A result that names no receipt is about the one asked.
      transaction: { ...outcome.transaction, receipt: outcome.transaction.receipt || query.receipt },
      completedAt: at,
    };
  }
  if (outcome.type === "balance" && query.kind === "account_balance") {
    return {
      ...query,
      status: "completed",
      resultCode: "0",
      balance: { shortcode: query.shortcode, accounts: outcome.accounts, at: outcome.at ?? at },
      completedAt: at,
    };
  }
  return null;
}

/** An M-Pesa receipt as a person types it: letters and digits, upper-cased. */
export const RECEIPT_PATTERN = /^[A-Z0-9]{8,20}$/;

import type { Payout } from "../../domain/payout.ts";
import { SUCCESS } from "../../domain/stk-result-code.ts";
import type { B2cResult } from "./daraja-notifications.ts";

/** What a result says about a payout's money. `unsettled`: nothing definitive; the payout stays pending. */
export type PayoutOutcome =
  | {
      readonly type: "completed";
      readonly receipt: string;
      readonly recipientName: string | null;
      /** M-Pesa's completion time, when it gave one. */
      readonly at: Date | null;
    }
  | { readonly type: "failed"; readonly resultCode: string; readonly description: string }
  | { readonly type: "unsettled"; readonly reason: string };

/** `payout:<id>`: how audit records name a payout. */
export const payoutRef = (payout: Payout): string => `payout:${payout.id}`;

/** A B2C result: 0 is completed (with its receipt), any other code a definitive failure. */
export function outcomeOfB2cResult(result: B2cResult): PayoutOutcome {
  if (result.resultCode !== SUCCESS) {
    return { type: "failed", resultCode: result.resultCode, description: result.resultDesc };
  }
  const receipt = result.receipt ?? result.transactionId;
  if (receipt === null) {
    return { type: "unsettled", reason: "a success without a receipt" };
  }
  return { type: "completed", receipt, recipientName: result.recipientName, at: result.completedAt };
}

/**
 * A Transaction Status result. Its ResultCode is about the query, not the payout: a failed query (wrong
 * initiator, unknown transaction) says nothing about the money, so only a successful query whose
 * TransactionStatus is "Completed", with a receipt, settles the payout. Anything else leaves it pending: a payout
 * is never failed on a status query's word, since the money might still have moved.
 */
export function outcomeOfStatusResult(result: B2cResult): PayoutOutcome {
  if (result.resultCode !== SUCCESS) {
    return {
      type: "unsettled",
      reason: `the status query failed (${result.resultCode}${result.resultDesc === "" ? "" : `: ${result.resultDesc}`})`,
    };
  }
  if (result.transactionStatus?.toLowerCase() !== "completed") {
    return {
      type: "unsettled",
      reason: `M-Pesa says the payout is ${result.transactionStatus ?? "of no status"}`,
    };
  }
  if (result.receipt === null) {
    return { type: "unsettled", reason: "a completed payout without a receipt" };
  }
  return {
    type: "completed",
    receipt: result.receipt,
    recipientName: result.recipientName,
    at: result.completedAt,
  };
}

/**
 * The OriginatorConversationID of the payout a Transaction Status result is about: in its parameters, since the
 * top-level one is the query's own.
 */
export function queriedOriginatorConversationId(result: B2cResult): string | null {
  const value = result.parameters.OriginatorConversationID;
  return value === undefined || value === null || String(value).trim() === "" ? null : String(value).trim();
}

/** The ConversationID of the payout a Transaction Status result is about, when it names one. */
export function queriedConversationId(result: B2cResult): string | null {
  const value = result.parameters.ConversationID;
  return value === undefined || value === null || String(value).trim() === "" ? null : String(value).trim();
}

export type PayoutStatusQuerySettings = {
  /**
   * RECONCILE_AFTER_SECONDS: how long a payout's own result is waited for before Daraja is asked, and how long
   * one status query's result is waited for before asking again. A queue-timed-out payout is asked at once.
   */
  readonly graceSeconds: number;
  /** EXPIRE_AFTER_SECONDS: a payout older than this is no longer asked about; it stays pending for a person. */
  readonly giveUpAfterSeconds: number;
};

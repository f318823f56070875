import type { Refund } from "../../domain/refund.ts";
import { SUCCESS } from "../../domain/stk-result-code.ts";
import { outcomeOfStatusResult, queriedOriginatorConversationId } from "../payouts/payout-outcome.ts";
import type { CallbackDisposition } from "../ports/callback-audit-repository.ts";
import type { B2cResult } from "../shared/daraja-notifications.ts";
import {
  findLockedByToken,
  type ReceivedCallback,
  receiveTokenCallback,
  type TokenCallbackDeps,
  type TokenCallbackInput,
} from "../shared/token-callback.ts";
import { type RefundRepositories, saveRefund } from "./save-refund.ts";

/** A callback about a reversal, as the Daraja adapter parsed it. */
export type ReversalCallback =
  | { readonly kind: "reversal_result"; readonly result: B2cResult }
  | { readonly kind: "reversal_timeout" }
  | { readonly kind: "status_result"; readonly result: B2cResult }
  | { readonly kind: "status_timeout" };

export type ReceivedReversalCallback = ReceivedCallback;

/** `refund:<id>`: how audit records name a refund. */
export const refundRef = (refund: Refund): string => `refund:${refund.id}`;

/**
 * A Reversal result or queue timeout, or the result of a Transaction Status query about a reversal. Stored for
 * audit in every case, in the transaction that applies it, with the refund locked: a result delivered twice, or
 * two at once, changes the refund once.
 *
 * - Reversal URLs carry the refund's own token, status URLs the token of its latest status query; an unknown
 *   token is never trusted (the reconciler's status query settles the refund).
 * - A reversal result with ResultCode 0 completes the refund (its TransactionID is the reversal's receipt); any
 *   other code fails it, with Daraja's reason. A queue timeout leaves it pending and due a status query.
 * - A status result completes it only when the query succeeded and says "Completed"; anything else leaves it
 *   pending (a refund is never failed on a status query's word).
 */
export class ReceiveReversalCallback {
  constructor(private readonly deps: TokenCallbackDeps<keyof RefundRepositories>) {}

  async execute(
    input: TokenCallbackInput & { readonly callback: ReversalCallback },
  ): Promise<ReceivedReversalCallback> {
    const { callback } = input;
    const { recordId, trusted, disposition, paymentRef } = await receiveTokenCallback(this.deps, input, {
      auditKind: callback.kind,
      locate: async (r, hash) => {
        const refund = await findLockedByToken(r.refunds, callback, hash);
        return refund === null
          ? null
          : {
              id: refund.id,
              ref: refundRef(refund),
              apply: async (tx, now) => {
                const applied = apply(refund, callback, now);
                await saveRefund(tx, refund, { now, ids: this.deps.ids });
                return applied;
              },
            };
      },
    });
    return { recordId, trusted, disposition, paymentRef };
  }
}

function apply(refund: Refund, callback: ReversalCallback, now: Date): CallbackDisposition {
  switch (callback.kind) {
    case "reversal_result": {
      const { result } = callback;
      if (result.resultCode !== SUCCESS) {
        return refund.fail({ resultCode: result.resultCode, description: result.resultDesc, at: now }).ok
          ? "applied"
          : "no_change";
      }
      return completed(refund, result.transactionId ?? result.receipt, result.completedAt ?? now);
    }
    case "reversal_timeout": {
      const first = refund.queueTimedOutAt === null;
      return refund.recordQueueTimeout(now).ok && first ? "applied" : "no_change";
    }
    case "status_result": {
      const { result } = callback;
      const queried = queriedOriginatorConversationId(result);
      if (
        queried !== null &&
        refund.originatorConversationId !== null &&
        queried !== refund.originatorConversationId
      ) {
        return "unconfirmed";
      }
      const outcome = outcomeOfStatusResult(result);
      return outcome.type === "completed"
        ? completed(refund, outcome.receipt, outcome.at ?? now)
        : "no_change";
    }
    case "status_timeout":
      return "no_change";
  }
}

function completed(refund: Refund, receipt: string | null, at: Date): CallbackDisposition {
  const attentionBefore = refund.attentionReason;
  const done = refund.complete({ receipt, at });
  if (!done.ok) {
    return "no_change";
  }
  if (refund.attentionReason !== attentionBefore) {
    return "flagged";
  }
  return done.value ? "applied" : "no_change";
}

import type { Refund } from "../../domain/refund.ts";
import { SUCCESS } from "../../domain/stk-result-code.ts";
import { outcomeOfStatusResult, queriedOriginatorConversationId } from "../payouts/payout-outcome.ts";
import type { CallbackDisposition, CallbackRecord } from "../ports/callback-audit-repository.ts";
import type { CallbackSecrets } from "../ports/callback-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { B2cResult } from "../shared/daraja-notifications.ts";
import { type RefundRepositories, saveRefund } from "./save-refund.ts";

/** A callback about a reversal, as the Daraja adapter parsed it. */
export type ReversalCallback =
  | { readonly kind: "reversal_result"; readonly result: B2cResult }
  | { readonly kind: "reversal_timeout" }
  | { readonly kind: "status_result"; readonly result: B2cResult }
  | { readonly kind: "status_timeout" };

export type ReceivedReversalCallback = {
  readonly recordId: string;
  readonly trusted: boolean;
  readonly disposition: CallbackDisposition;
  readonly paymentRef: string | null;
};

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
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"callbackAudit" | keyof RefundRepositories>;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly callbackSecrets: CallbackSecrets;
    },
  ) {}

  execute(input: {
    readonly token: string;
    readonly callback: ReversalCallback;
    readonly body: unknown;
    readonly path: string;
  }): Promise<ReceivedReversalCallback> {
    const { callback } = input;
    const hash = this.deps.callbackSecrets.hashOf(input.token);
    const byStatusToken = callback.kind === "status_result" || callback.kind === "status_timeout";
    return this.deps.uow.run(async (r) => {
      const now = this.deps.clock.now();
      const recordId = this.deps.ids.next();
      const refund = byStatusToken
        ? await r.refunds.findByStatusTokenHash(hash, { lock: true })
        : await r.refunds.findByCallbackTokenHash(hash, { lock: true });
      let disposition: CallbackDisposition = "unknown_payment";
      if (refund !== null) {
        disposition = apply(refund, callback, now);
        await saveRefund(r, refund, { now, ids: this.deps.ids });
      }
      await r.callbackAudit.record({
        id: recordId,
        receivedAt: now,
        kind: KIND[callback.kind],
        path: input.path,
        trusted: refund !== null,
        checkoutRequestId: null,
        paymentRef: refund === null ? null : refundRef(refund),
        disposition,
        body: input.body,
      });
      return {
        recordId,
        trusted: refund !== null,
        disposition,
        paymentRef: refund === null ? null : refundRef(refund),
      };
    });
  }
}

const KIND: Record<ReversalCallback["kind"], CallbackRecord["kind"]> = {
  reversal_result: "reversal_result",
  reversal_timeout: "reversal_timeout",
  status_result: "status_result",
  status_timeout: "status_timeout",
};

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

import type { Payout } from "../../domain/payout.ts";
import type { CallbackDisposition, CallbackRecord } from "../ports/callback-audit-repository.ts";
import type { CallbackSecrets } from "../ports/callback-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { PayoutFollower } from "../ports/payout-follower.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { B2cResult } from "../shared/daraja-notifications.ts";
import { type PayoutChangeRepositories, recordPayoutChange } from "./payout-events.ts";
import {
  outcomeOfB2cResult,
  outcomeOfStatusResult,
  type PayoutOutcome,
  payoutRef,
  queriedConversationId,
  queriedOriginatorConversationId,
} from "./payout-outcome.ts";

/** A callback about a payout, as the Daraja adapter parsed it. */
export type PayoutCallback =
  | { readonly kind: "b2c_result"; readonly result: B2cResult }
  | { readonly kind: "b2c_queue_timeout"; readonly originatorConversationId: string | null }
  | { readonly kind: "status_result"; readonly result: B2cResult }
  | { readonly kind: "status_timeout" };

export type ReceivedPayoutCallback = {
  readonly recordId: string;
  /** Whether the URL carried the token of a payout (or of its latest status query). */
  readonly trusted: boolean;
  readonly disposition: CallbackDisposition;
  readonly paymentRef: string | null;
};

const KIND: Record<PayoutCallback["kind"], CallbackRecord["kind"]> = {
  b2c_result: "b2c_result",
  b2c_queue_timeout: "b2c_queue_timeout",
  status_result: "status_result",
  status_timeout: "status_timeout",
};

/**
 * A B2C result, a B2C queue timeout, or a Transaction Status result or timeout. Stored for audit in every case,
 * in the same transaction that applies it, with the payout row locked: a result delivered twice, or two at once,
 * changes the payout once.
 *
 * - B2C URLs carry the payout's own token; status URLs the token of its latest status query. With the right
 *   token the callback is trusted, if it names the same payout (its OriginatorConversationID).
 * - A B2C result settles the payout: completed with receipt, recipient and completion time, or failed with code
 *   and reason. A success for a payout PayMe recorded failed from a refused request completes it, flagged; one
 *   after a failure Daraja reported only flags it (see Payout.complete). A queue timeout leaves it pending and marks it for a status query. A status result settles it
 *   only when the payout is reported "Completed" (see outcomeOfStatusResult); a status timeout changes nothing.
 * - An unknown token is never trusted: nothing changes, and the reconciler's status query settles the payout.
 */
export class ReceivePayoutCallback {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"callbackAudit" | "payouts" | keyof PayoutChangeRepositories>;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly callbackSecrets: CallbackSecrets;
      /** Told when a payout settles (a partial refund follows its payout). */
      readonly payoutFollower: PayoutFollower;
    },
  ) {}

  execute(input: {
    readonly token: string;
    readonly callback: PayoutCallback;
    readonly body: unknown;
    /** The request path, token masked. */
    readonly path: string;
  }): Promise<ReceivedPayoutCallback> {
    const { callback } = input;
    const hash = this.deps.callbackSecrets.hashOf(input.token);
    const byStatusToken = callback.kind === "status_result" || callback.kind === "status_timeout";
    return this.deps.uow.run(async (r) => {
      const now = this.deps.clock.now();
      const recordId = this.deps.ids.next();
      const payout = byStatusToken
        ? await r.payouts.findByStatusTokenHash(hash, { lock: true })
        : await r.payouts.findByCallbackTokenHash(hash, { lock: true });

      let disposition: CallbackDisposition;
      let ref: string | null;
      if (payout !== null) {
        ref = payoutRef(payout);
        disposition = apply(payout, callback, now);
        await r.payouts.update(payout);
        await recordPayoutChange(r, payout, { now, ids: this.deps.ids }, this.deps.payoutFollower);
      } else {
        const claimed = claimedOriginatorConversationId(callback);
        const candidate = claimed === null ? null : await r.payouts.findByOriginatorConversationId(claimed);
        ref = candidate === null ? null : payoutRef(candidate);
        disposition = candidate === null ? "unknown_payment" : "unconfirmed";
      }
      await r.callbackAudit.record({
        id: recordId,
        receivedAt: now,
        kind: KIND[callback.kind],
        path: input.path,
        trusted: payout !== null,
        checkoutRequestId: null,
        paymentRef: ref,
        disposition,
        body: input.body,
      });
      return { recordId, trusted: payout !== null, disposition, paymentRef: ref };
    });
  }
}

/** Moves a payout (locked) as a trusted callback says, and tells what became of the callback. */
function apply(payout: Payout, callback: PayoutCallback, now: Date): CallbackDisposition {
  switch (callback.kind) {
    case "b2c_result": {
      const { result } = callback;
      if (result.originatorConversationId !== payout.originatorConversationId) {
        return "unconfirmed";
      }
      if (result.conversationId !== null && payout.conversationId === null) {
        // The request's answer was lost: the result names the conversation.
        payout.learnConversationId(result.conversationId);
      }
      return settle(payout, outcomeOfB2cResult(result), now);
    }
    case "b2c_queue_timeout": {
      const first = payout.queueTimedOutAt === null;
      return payout.recordQueueTimeout(now).ok && first ? "applied" : "no_change";
    }
    case "status_result": {
      const { result } = callback;
      const queried = queriedOriginatorConversationId(result);
      if (queried !== null && queried !== payout.originatorConversationId) {
        return "unconfirmed";
      }
      const conversationId = queriedConversationId(result);
      if (conversationId !== null && payout.conversationId === null && payout.status === "pending") {
        payout.learnConversationId(conversationId);
      }
      return settle(payout, outcomeOfStatusResult(result), now);
    }
    case "status_timeout":
      return "no_change";
  }
}

function settle(payout: Payout, outcome: PayoutOutcome, now: Date): CallbackDisposition {
  switch (outcome.type) {
    case "completed": {
      const completed = payout.complete({
        receipt: outcome.receipt,
        recipientName: outcome.recipientName,
        at: outcome.at ?? now,
      });
      if (!completed.ok) {
        return "no_change";
      }
      return completed.value === "completed" ? "applied" : "flagged";
    }
    case "failed":
      return payout.fail({ resultCode: outcome.resultCode, description: outcome.description, at: now }).ok
        ? "applied"
        : "no_change";
    case "unsettled":
      return "no_change";
  }
}

/** The payout an untrusted callback claims to be about, for the audit record only. */
function claimedOriginatorConversationId(callback: PayoutCallback): string | null {
  switch (callback.kind) {
    case "b2c_result":
      return callback.result.originatorConversationId;
    case "b2c_queue_timeout":
      return callback.originatorConversationId;
    case "status_result":
      return queriedOriginatorConversationId(callback.result);
    case "status_timeout":
      // Its ids are the status query's own, not the payout's.
      return null;
  }
}

import type { Payout } from "../../domain/payout.ts";
import type { CallbackDisposition } from "../ports/callback-audit-repository.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { PayoutFollower } from "../ports/payout-follower.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import type { B2cResult } from "../shared/daraja-notifications.ts";
import {
  type CallbackOutcome,
  findLockedByToken,
  type ReceivedCallback,
  receiveTokenCallback,
  type TokenCallbackDeps,
  type TokenCallbackInput,
  type TokenCallbackKind,
  UNKNOWN_TARGET,
} from "../shared/token-callback.ts";
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

/** `trusted`: whether the URL carried the token of a payout (or of its latest status query). */
export type ReceivedPayoutCallback = ReceivedCallback;

/** What receiving a callback about a payout touches. */
export type PayoutCallbackRepositories = Pick<Repositories, "payouts" | keyof PayoutChangeRepositories>;

/**
 * How a payout takes a callback once its token found it (locked), and what one with no payout's token is
 * recorded as: for ReceivePayoutCallback, and for the receiver of the Transaction Status paths payouts share
 * with look-ups.
 */
export function payoutCallbackKind(deps: {
  readonly ids: IdGenerator;
  readonly payoutFollower: PayoutFollower;
}): TokenCallbackKind<Payout, PayoutCallback, PayoutCallbackRepositories> {
  return {
    target: (payout, callback) => ({
      id: payout.id,
      ref: payoutRef(payout),
      apply: async (r, now) => {
        const disposition = apply(payout, callback, now);
        await r.payouts.update(payout);
        await recordPayoutChange(r, payout, { now, ids: deps.ids }, deps.payoutFollower);
        return disposition;
      },
    }),
    untrusted: untrustedPayoutCallback,
  };
}

/** A callback with no payout's token: "unconfirmed" about the payout it claims, if there is one. */
async function untrustedPayoutCallback(
  r: PayoutCallbackRepositories,
  callback: PayoutCallback,
): Promise<CallbackOutcome> {
  const claimed = claimedOriginatorConversationId(callback);
  const candidate = claimed === null ? null : await r.payouts.findByOriginatorConversationId(claimed);
  return candidate === null
    ? UNKNOWN_TARGET
    : { disposition: "unconfirmed", paymentRef: payoutRef(candidate) };
}

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
 *
 * The HTTP status paths, which look-ups share, are received by ReceiveStatusResult, with the same payout kind.
 */
export class ReceivePayoutCallback {
  private readonly kind: ReturnType<typeof payoutCallbackKind>;

  constructor(
    private readonly deps: TokenCallbackDeps<keyof PayoutCallbackRepositories> & {
      /** Told when a payout settles (a partial refund follows its payout). */
      readonly payoutFollower: PayoutFollower;
    },
  ) {
    this.kind = payoutCallbackKind(deps);
  }

  async execute(
    input: TokenCallbackInput & { readonly callback: PayoutCallback },
  ): Promise<ReceivedPayoutCallback> {
    const { callback } = input;
    const { recordId, trusted, disposition, paymentRef } = await receiveTokenCallback(this.deps, input, {
      auditKind: callback.kind,
      locate: async (r, hash) => {
        const payout = await findLockedByToken(r.payouts, callback, hash);
        return payout === null ? null : this.kind.target(payout, callback);
      },
      untrusted: (r) => untrustedPayoutCallback(r, callback),
    });
    return { recordId, trusted, disposition, paymentRef };
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

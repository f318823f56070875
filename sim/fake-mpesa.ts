import {
  gatewayAnswers,
  type InMemoryPaymentGateway,
} from "../src/adapters/in-memory/in-memory-payment-gateway.ts";
import type { PayoutCallback } from "../src/application/payouts/receive-payout-callback.ts";
import type { GatewayFailure } from "../src/application/ports/payment-gateway.ts";
import type { B2cResult, StkCallback } from "../src/application/shared/daraja-notifications.ts";
import { err, ok } from "../src/domain/result.ts";
import type { Prng } from "./prng.ts";

/** What M-Pesa really did with a push: the truth the checks compare PayMe's records with. */
export type PushTruth = {
  readonly checkoutRequestId: string;
  readonly merchantRequestId: string;
  /** The token in the push's CallBackURL. */
  readonly token: string;
  readonly amount: number;
  readonly phone: string;
  fate: "undecided" | "paid" | "cancelled" | "failed" | "never";
  receipt: string | null;
};

export type PayoutTruth = {
  readonly originatorConversationId: string;
  readonly conversationId: string;
  readonly token: string;
  readonly amount: number;
  fate: "undecided" | "completed" | "failed";
  receipt: string | null;
};

/** A callback on its way to PayMe. `token` is the last segment of the URL it is posted to. */
export type Delivery =
  | {
      readonly kind: "stk";
      readonly token: string | null;
      readonly callback: StkCallback;
      readonly label: string;
    }
  | {
      readonly kind: "payout";
      readonly token: string;
      readonly callback: PayoutCallback;
      readonly label: string;
    };

/** A definite answer that M-Pesa gave about a payment, as PayMe should have heard it. */
export type PaidEvidence =
  | { readonly by: "token"; readonly token: string }
  | { readonly by: "checkout"; readonly checkoutRequestId: string }
  | { readonly by: "payout"; readonly originatorConversationId: string };

const lastSegment = (url: string): string => url.slice(url.lastIndexOf("/") + 1);

/**
 * M-Pesa as the simulation plays it, behind the in-memory gateway: it decides (with the step's PRNG) whether a
 * request is accepted, refused, left ambiguous or lost in a network error, remembers what it really started, lets
 * payers pay, cancel or walk away, and queues the callbacks it owes PayMe. Its STK Query and Transaction Status
 * answers tell the truth.
 */
export class FakeMpesa {
  readonly pushes = new Map<string, PushTruth>();
  readonly payouts = new Map<string, PayoutTruth>();
  readonly mailbox: Delivery[] = [];
  /** What a query told PayMe during the current step (kept only if the step completes). */
  saidPaid: PaidEvidence[] = [];
  private receipts = 0;
  rng: Prng;

  constructor(gateway: InMemoryPaymentGateway, rng: Prng) {
    this.rng = rng;
    gateway.script.stkPush.otherwise((request) => {
      const roll = this.rng.weighted({
        accepted: 70,
        refused: 10,
        unknownStarted: 7,
        unknownLost: 4,
        thrownStarted: 5,
        thrownLost: 4,
      });
      const started = roll === "accepted" || roll === "unknownStarted" || roll === "thrownStarted";
      if (started) {
        const accepted = gateway.pushAccepted();
        this.pushes.set(accepted.checkoutRequestId, {
          checkoutRequestId: accepted.checkoutRequestId,
          merchantRequestId: accepted.merchantRequestId ?? "",
          token: lastSegment(request.callbackUrl),
          amount: request.amount.value,
          phone: request.phone.value,
          fate: "undecided",
          receipt: null,
        });
        if (roll === "accepted") {
          return ok(accepted);
        }
      }
      if (roll === "refused") {
        return this.refusal();
      }
      return roll === "unknownStarted" || roll === "unknownLost"
        ? gatewayAnswers.outcomeUnknown()
        : gatewayAnswers.networkError();
    });

    gateway.script.stkQuery.otherwise((request) => {
      const roll = this.rng.weighted({ truth: 85, unknown: 10, thrown: 5 });
      if (roll === "unknown") {
        return gatewayAnswers.outcomeUnknown();
      }
      if (roll === "thrown") {
        return gatewayAnswers.networkError();
      }
      const truth = this.pushes.get(request.checkoutRequestId);
      switch (truth?.fate) {
        case "paid":
          this.saidPaid.push({ by: "checkout", checkoutRequestId: request.checkoutRequestId });
          return ok({ type: "paid" as const });
        case "cancelled":
          return ok({
            type: "unsuccessful" as const,
            resultCode: "1032",
            description: "Request cancelled by user",
          });
        case "failed":
          return ok({
            type: "unsuccessful" as const,
            resultCode: "2001",
            description: "The initiator information is invalid.",
          });
        default:
          return ok({ type: "pending" as const });
      }
    });

    gateway.script.b2cPayment.otherwise((request) => {
      const roll = this.rng.weighted({
        accepted: 70,
        duplicate: 3,
        refused: 10,
        unknownStarted: 6,
        unknownLost: 4,
        thrownStarted: 4,
        thrownLost: 3,
      });
      const started =
        roll === "accepted" || roll === "duplicate" || roll === "unknownStarted" || roll === "thrownStarted";
      if (started) {
        const accepted = gateway.b2cAccepted(request.originatorConversationId);
        this.payouts.set(request.originatorConversationId, {
          originatorConversationId: request.originatorConversationId,
          conversationId: accepted.conversationId,
          token: lastSegment(request.resultUrl),
          amount: request.amount.value,
          fate: "undecided",
          receipt: null,
        });
        if (roll === "accepted") {
          return ok(accepted);
        }
        if (roll === "duplicate") {
          return gatewayAnswers.alreadyAccepted();
        }
      }
      if (roll === "refused") {
        return this.refusal();
      }
      return roll === "unknownStarted" || roll === "unknownLost"
        ? gatewayAnswers.outcomeUnknown()
        : gatewayAnswers.networkError();
    });

    gateway.script.transactionStatus.otherwise((request) => {
      const roll = this.rng.weighted({ accepted: 80, refused: 8, unknown: 7, thrown: 5 });
      if (roll === "refused") {
        return this.refusal();
      }
      if (roll === "unknown") {
        return gatewayAnswers.outcomeUnknown();
      }
      if (roll === "thrown") {
        return gatewayAnswers.networkError();
      }
      const truth = this.payouts.get(request.originatorConversationId);
      const token = lastSegment(request.resultUrl);
      const label = `status of ${request.originatorConversationId}`;
      if (this.rng.chance(0.1)) {
        this.mailbox.push({
          kind: "payout",
          token,
          callback: { kind: "status_timeout" },
          label: `${label}: timeout`,
        });
      } else {
        this.mailbox.push({
          kind: "payout",
          token,
          callback: {
            kind: "status_result",
            result: this.statusResult(request.originatorConversationId, truth),
          },
          label: `${label}: ${truth?.fate ?? "unknown"}`,
        });
      }
      return ok(gateway.b2cAccepted(`status-${request.originatorConversationId}`));
    });
  }

  /** A payer answers an undecided push: pays, cancels, fails or never answers; the callback is queued. */
  payerActs(truth: PushTruth): void {
    truth.fate = this.rng.weighted({ paid: 60, cancelled: 15, failed: 10, never: 15 });
    if (truth.fate === "never") {
      return;
    }
    if (truth.fate === "paid") {
      this.receipts += 1;
      truth.receipt = `SIM${String(this.receipts).padStart(7, "0")}`;
    }
    this.mailbox.push({
      kind: "stk",
      token: truth.token,
      callback: this.stkCallback(truth),
      label: `${truth.checkoutRequestId}: ${truth.fate}`,
    });
  }

  /** M-Pesa finishes an undecided payout, or times it out in its queue (still undecided). */
  payoutActs(truth: PayoutTruth): void {
    const roll = this.rng.weighted({ completed: 70, failed: 20, queueTimeout: 10 });
    if (roll === "queueTimeout") {
      this.mailbox.push({
        kind: "payout",
        token: truth.token,
        callback: { kind: "b2c_queue_timeout", originatorConversationId: truth.originatorConversationId },
        label: `${truth.originatorConversationId}: queue timeout`,
      });
      return;
    }
    truth.fate = roll;
    if (roll === "completed") {
      this.receipts += 1;
      truth.receipt = `SIMB${String(this.receipts).padStart(6, "0")}`;
    }
    this.mailbox.push({
      kind: "payout",
      token: truth.token,
      callback: { kind: "b2c_result", result: this.b2cResult(truth) },
      label: `${truth.originatorConversationId}: ${roll}`,
    });
  }

  stkCallback(truth: PushTruth, overrides: Partial<StkCallback> = {}): StkCallback {
    const paid = truth.fate === "paid";
    return {
      merchantRequestId: truth.merchantRequestId,
      checkoutRequestId: truth.checkoutRequestId,
      resultCode: paid ? "0" : truth.fate === "cancelled" ? "1032" : "2001",
      resultDesc: paid ? "The service request is processed successfully." : "Not paid",
      amount: paid ? truth.amount : null,
      mpesaReceipt: truth.receipt,
      phone: paid ? truth.phone : null,
      transactionDate: paid ? "20260105120000" : null,
      ...overrides,
    };
  }

  b2cResult(truth: PayoutTruth): B2cResult {
    const completed = truth.fate === "completed";
    return {
      resultType: 0,
      resultCode: completed ? "0" : "2040",
      resultDesc: completed
        ? "The service request is processed successfully."
        : "Credit Party customer type is invalid",
      originatorConversationId: truth.originatorConversationId,
      conversationId: truth.conversationId,
      transactionId: truth.receipt,
      receipt: truth.receipt,
      amount: truth.amount,
      recipientName: completed ? "254712345678 - JANE DOE" : null,
      completedAt: null,
      transactionStatus: null,
      parameters: {},
    };
  }

  private statusResult(originatorConversationId: string, truth: PayoutTruth | undefined): B2cResult {
    const completed = truth?.fate === "completed";
    return {
      resultType: 0,
      resultCode: truth === undefined ? "2032" : "0",
      resultDesc:
        truth === undefined
          ? "The transaction could not be found"
          : "The service request is processed successfully.",
      originatorConversationId: `status-${originatorConversationId}`,
      conversationId: null,
      transactionId: null,
      receipt: completed ? (truth?.receipt ?? null) : null,
      amount: truth?.amount ?? null,
      recipientName: completed ? "254712345678 - JANE DOE" : null,
      completedAt: null,
      transactionStatus:
        truth === undefined ? null : completed ? "Completed" : truth.fate === "failed" ? "Failed" : "Pending",
      parameters: {
        OriginatorConversationID: originatorConversationId,
        ConversationID: truth?.conversationId ?? null,
      },
    };
  }

  private refusal() {
    const failure = this.rng.pick<GatewayFailure>([
      { type: "subscriber_busy", message: "The subscriber is busy" },
      { type: "rejected", code: "400.002.02", message: "Bad Request - Invalid Amount" },
      { type: "rate_limited", retryAfterSeconds: 60, message: "Spike arrest violation" },
      { type: "unavailable", retryAfterSeconds: 30, message: "Daraja cannot be reached" },
    ]);
    return err(failure ?? { type: "unavailable" as const, retryAfterSeconds: 30, message: "unreachable" });
  }
}

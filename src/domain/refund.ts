import type { Kes } from "./kes.ts";
import type { PushOutcome } from "./push-outcome.ts";
import { err, ok, type Result } from "./result.ts";

/**
 * How money goes back to a payer:
 * - `reversal`: Daraja's Reversal API undoes the whole original transaction (its receipt);
 * - `b2c`: part of it is sent back to the phone the prompt went to, by a B2C payment from the payout config.
 */
export type RefundMethod = "reversal" | "b2c";
export const REFUND_METHODS: readonly RefundMethod[] = ["reversal", "b2c"];

export type RefundStatus = "pending" | "completed" | "failed";
export const REFUND_STATUSES: readonly RefundStatus[] = ["pending", "completed", "failed"];

/** The smallest partial refund: B2C's minimum. */
export const PARTIAL_REFUND_MIN = 10;

/** Daraja's Reversal ResultCodes PayMe can explain; others keep Daraja's own description. */
const REVERSAL_REASONS: Readonly<Record<string, string>> = {
  "1": "the account has insufficient funds to reverse the payment",
  "11": "the account is inactive or in an invalid state",
  "17": "M-Pesa had an internal error",
  "21": "the initiator is not allowed to reverse payments (it needs the reversal role on the M-Pesa portal)",
  "2001": "the initiator name or password is wrong",
  "8006": "the initiator's security credential is locked",
  R000001: "the payment was already reversed",
  R000002: "M-Pesa does not know the payment's receipt",
};

export type RefundState = {
  readonly id: string;
  readonly businessId: string;
  /** The user who asked for it (for an API key, the user who made the key). */
  readonly requestedBy: string;
  /** The sale refunded, when it was asked through the sale or the C2B payment paid a sale. */
  readonly saleId: string | null;
  /** The C2B payment refunded, when it was asked through it or the sale was paid by reference. */
  readonly c2bPaymentId: string | null;
  /** The M-Pesa receipt of the payment refunded: refunds are counted per receipt. */
  readonly originalReceipt: string;
  readonly method: RefundMethod;
  readonly amount: Kes;
  readonly reason: string | null;
  /** A full refund of a sale puts its items back in stock when it completes. */
  readonly restock: boolean;
  /** A B2C refund: the payout that carries the money; its result settles the refund. */
  readonly payoutId: string | null;
  /** A reversal: the payment config whose initiator sent it; a status query must use the same. */
  readonly paymentConfigId: string | null;
  /** A reversal: PayMe's own id for the request, or Daraja's once its answer names one. */
  originatorConversationId: string | null;
  conversationId: string | null;
  /** A reversal: hash of the secret token in its result and timeout URLs. */
  readonly callbackTokenHash: string | null;
  queueTimedOutAt: Date | null;
  /** A reversal: hash of the token in the URLs of its latest Transaction Status query. */
  statusTokenHash: string | null;
  statusQueriedAt: Date | null;
  statusQueries: number;
  status: RefundStatus;
  pushOutcome: PushOutcome;
  /** The receipt of the reversal or of the B2C payment. */
  mpesaReceipt: string | null;
  resultCode: string | null;
  failureReason: string | null;
  needsAttention: boolean;
  attentionReason: string | null;
  readonly createdAt: Date;
  completedAt: Date | null;
};

export type RefundTransitionRefused = {
  readonly type: "refund_transition_refused";
  readonly from: RefundStatus;
  readonly reason: string;
};

/** Why a payment cannot be refunded as asked; `reason` is told to the person who asked. */
export type NotRefundable = { readonly type: "not_refundable"; readonly reason: string };

/** What a payment offers to refund: checked by `Refund.plan` before anything is stored or sent. */
export type RefundablePayment = {
  /** `paid` for a sale or a C2B payment that moved money; anything else is not refundable. */
  readonly status: string;
  readonly amount: number;
  readonly receipt: string | null;
  /** False when the payer's phone is masked (a C2B payment, or a sale paid by its reference). */
  readonly phoneKnown: boolean;
  /** Pending and completed refunds of the same receipt, in shillings. */
  readonly alreadyRefunded: number;
};

/** How a refund will be made. */
export type RefundPlan = { readonly method: RefundMethod; readonly amount: number };

/**
 * Money given back for a paid sale or C2B payment: `pending → completed | failed`. A full refund reverses the
 * original transaction; a partial one is a B2C payment to the payer. Only a definite refusal or a result fails
 * it; an unclear answer leaves it pending until its result or a Transaction Status query settles it.
 */
export class Refund {
  private reportedStatus: RefundStatus;

  private constructor(private readonly state: RefundState) {
    this.reportedStatus = state.status;
  }

  /**
   * How a refund of `requested` shillings (or, with none, of everything left) can be made, or why it cannot:
   * the payment must be paid and have its receipt; the whole amount, when nothing was refunded yet, is a
   * reversal; anything less is a B2C payment of at least KES 10 to a phone PayMe knows; and pending plus
   * completed refunds never exceed the payment.
   */
  static plan(payment: RefundablePayment, requested: number | null): Result<RefundPlan, NotRefundable> {
    const refuse = (reason: string) => err({ type: "not_refundable" as const, reason });
    if (payment.status !== "paid") {
      return refuse(`the payment is ${payment.status}, not paid`);
    }
    if (payment.receipt === null) {
      return err(Refund.withoutReceipt());
    }
    const left = payment.amount - payment.alreadyRefunded;
    if (left <= 0) {
      return refuse("nothing is left to refund: the whole payment is refunded or being refunded");
    }
    const amount = requested ?? left;
    if (amount > left) {
      return refuse(
        `only KES ${left} of KES ${payment.amount} is left to refund (pending and completed refunds count)`,
      );
    }
    if (amount === payment.amount) {
      return ok({ method: "reversal", amount });
    }
    if (!payment.phoneKnown) {
      return refuse(
        "the payer's phone is masked (a C2B payment, or a sale paid by its reference): only a full reversal is possible",
      );
    }
    if (amount < PARTIAL_REFUND_MIN) {
      return refuse(`a partial refund must be at least KES ${PARTIAL_REFUND_MIN} (B2C's minimum)`);
    }
    return ok({ method: "b2c", amount });
  }

  /** A paid payment whose receipt PayMe does not know yet cannot be reversed, nor counted against its receipt. */
  static withoutReceipt(): NotRefundable {
    return {
      type: "not_refundable",
      reason:
        "the payment has no M-Pesa receipt yet (it was settled by a status query); it can be refunded once M-Pesa's callback or a Transaction Status query names it",
    };
  }

  static create(input: {
    id: string;
    businessId: string;
    requestedBy: string;
    saleId: string | null;
    c2bPaymentId: string | null;
    originalReceipt: string;
    method: RefundMethod;
    amount: Kes;
    reason: string | null;
    restock: boolean;
    payoutId: string | null;
    paymentConfigId: string | null;
    originatorConversationId: string | null;
    callbackTokenHash: string | null;
    createdAt: Date;
  }): Refund {
    if ((input.method === "b2c") !== (input.payoutId !== null)) {
      throw new Error("a B2C refund, and only one, is carried by a payout");
    }
    if (input.saleId === null && input.c2bPaymentId === null) {
      throw new Error("a refund is of a sale or of a C2B payment");
    }
    return new Refund({
      ...input,
      conversationId: null,
      queueTimedOutAt: null,
      statusTokenHash: null,
      statusQueriedAt: null,
      statusQueries: 0,
      status: "pending",
      pushOutcome: "unknown",
      mpesaReceipt: null,
      resultCode: null,
      failureReason: null,
      needsAttention: false,
      attentionReason: null,
      completedAt: null,
    });
  }

  static restore(state: RefundState): Refund {
    return new Refund({ ...state });
  }

  /** Its new status when it changed since it was built or last asked; else null (see Payout.takeStatusChange). */
  takeStatusChange(): RefundStatus | null {
    const changed = this.state.status === this.reportedStatus ? null : this.state.status;
    this.reportedStatus = this.state.status;
    return changed;
  }

  /** Daraja took the request, naming its conversation (and, for a reversal, its own OriginatorConversationID). */
  recordAcceptance(ids: { conversationId: string | null; originatorConversationId: string | null }): void {
    this.state.pushOutcome = "accepted";
    this.state.conversationId ??= ids.conversationId;
    if (ids.originatorConversationId !== null && this.state.method === "reversal") {
      this.state.originatorConversationId = ids.originatorConversationId;
    }
  }

  /** Daraja refused the request definitely: nothing started, the refund fails and its amount is free again. */
  markRequestRefused(reason: string, at: Date): Result<void, RefundTransitionRefused> {
    if (this.state.status !== "pending") {
      return this.refuse(`a ${this.state.status} refund is final`);
    }
    this.state.status = "failed";
    this.state.pushOutcome = "refused";
    this.state.failureReason = reason;
    this.state.completedAt = at;
    return ok();
  }

  /** The queue timed out: unknown whether it went through; a Transaction Status query settles it. */
  recordQueueTimeout(at: Date): Result<void, RefundTransitionRefused> {
    if (this.state.status !== "pending") {
      return this.refuse(`a ${this.state.status} refund is final`);
    }
    this.state.queueTimedOutAt ??= at;
    return ok();
  }

  /** A Transaction Status query is about to be sent with a fresh token: only its result is trusted now. */
  recordStatusQuery(tokenHash: string, at: Date): Result<void, RefundTransitionRefused> {
    if (this.state.status !== "pending") {
      return this.refuse(`a ${this.state.status} refund is final`);
    }
    this.state.statusTokenHash = tokenHash;
    this.state.statusQueriedAt = at;
    this.state.statusQueries += 1;
    return ok();
  }

  /**
   * The money went back. A pending refund completes; one PayMe itself failed from a refused request completes
   * too, flagged for a person (its amount was free meanwhile). One Daraja reported failed only gets a flag.
   * True when it completed now.
   */
  complete(result: { receipt: string | null; at: Date }): Result<boolean, RefundTransitionRefused> {
    if (this.state.status === "completed") {
      return ok(false);
    }
    if (this.state.status === "failed") {
      if (this.state.resultCode !== null || this.state.pushOutcome !== "refused") {
        this.flag(
          `M-Pesa reported the refund completed${result.receipt === null ? "" : ` (receipt ${result.receipt})`} after it had reported ${this.state.failureReason ?? "a failure"}; check the M-Pesa statement`,
        );
        return ok(false);
      }
      this.flag(
        "completed after it was recorded as failed (M-Pesa refused the request); check that the payment was not refunded twice",
      );
      this.state.failureReason = null;
    }
    this.state.status = "completed";
    this.state.mpesaReceipt = result.receipt ?? this.state.mpesaReceipt;
    this.state.resultCode = "0";
    this.state.completedAt = result.at;
    return ok(true);
  }

  /** A definitive failure result, with Daraja's ResultCode. */
  fail(result: {
    resultCode: string;
    description?: string;
    at: Date;
  }): Result<void, RefundTransitionRefused> {
    if (this.state.status !== "pending") {
      return this.refuse(`a ${this.state.status} refund is final`);
    }
    this.state.status = "failed";
    this.state.resultCode = result.resultCode;
    this.state.failureReason =
      REVERSAL_REASONS[result.resultCode] ??
      (result.description?.trim() || `M-Pesa answered with result code ${result.resultCode}`);
    this.state.completedAt = result.at;
    return ok();
  }

  /** A B2C refund whose payout failed: the refund fails with the payout's reason. */
  failWithPayout(payout: {
    resultCode: string | null;
    failureReason: string | null;
    at: Date;
  }): Result<void, RefundTransitionRefused> {
    if (this.state.status !== "pending") {
      return this.refuse(`a ${this.state.status} refund is final`);
    }
    this.state.status = "failed";
    this.state.pushOutcome = payout.resultCode === null ? "refused" : this.state.pushOutcome;
    this.state.resultCode = payout.resultCode;
    this.state.failureReason = payout.failureReason ?? "the B2C payment failed";
    this.state.completedAt = payout.at;
    return ok();
  }

  /** A B2C refund follows what Daraja answered to its payout's request. */
  followPushOutcome(outcome: PushOutcome | null): void {
    if (outcome !== null && this.state.status === "pending") {
      this.state.pushOutcome = outcome;
    }
  }

  private flag(reason: string): void {
    const previous = this.state.needsAttention ? this.state.attentionReason : null;
    this.state.needsAttention = true;
    this.state.attentionReason = previous === null ? reason : `${previous}; ${reason}`;
  }

  private refuse(reason: string): Result<never, RefundTransitionRefused> {
    return err({ type: "refund_transition_refused", from: this.state.status, reason });
  }

  /** Pending and completed refunds hold their amount against the payment; a failed one gives it back. */
  get holdsAmount(): boolean {
    return this.state.status !== "failed";
  }

  get id(): string {
    return this.state.id;
  }
  get businessId(): string {
    return this.state.businessId;
  }
  get requestedBy(): string {
    return this.state.requestedBy;
  }
  get saleId(): string | null {
    return this.state.saleId;
  }
  get c2bPaymentId(): string | null {
    return this.state.c2bPaymentId;
  }
  get originalReceipt(): string {
    return this.state.originalReceipt;
  }
  get method(): RefundMethod {
    return this.state.method;
  }
  get amount(): Kes {
    return this.state.amount;
  }
  get reason(): string | null {
    return this.state.reason;
  }
  get restock(): boolean {
    return this.state.restock;
  }
  get payoutId(): string | null {
    return this.state.payoutId;
  }
  get paymentConfigId(): string | null {
    return this.state.paymentConfigId;
  }
  get originatorConversationId(): string | null {
    return this.state.originatorConversationId;
  }
  get conversationId(): string | null {
    return this.state.conversationId;
  }
  get callbackTokenHash(): string | null {
    return this.state.callbackTokenHash;
  }
  get queueTimedOutAt(): Date | null {
    return this.state.queueTimedOutAt;
  }
  get statusTokenHash(): string | null {
    return this.state.statusTokenHash;
  }
  get statusQueries(): number {
    return this.state.statusQueries;
  }
  get status(): RefundStatus {
    return this.state.status;
  }
  get pushOutcome(): PushOutcome {
    return this.state.pushOutcome;
  }
  get mpesaReceipt(): string | null {
    return this.state.mpesaReceipt;
  }
  get resultCode(): string | null {
    return this.state.resultCode;
  }
  get failureReason(): string | null {
    return this.state.failureReason;
  }
  get needsAttention(): boolean {
    return this.state.needsAttention;
  }
  get attentionReason(): string | null {
    return this.state.attentionReason;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get completedAt(): Date | null {
    return this.state.completedAt;
  }

  snapshot(): RefundState {
    return { ...this.state };
  }
}

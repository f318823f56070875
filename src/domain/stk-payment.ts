import type { Kes } from "./kes.ts";
import type { Msisdn } from "./msisdn.ts";
import type { PushOutcome } from "./push-outcome.ts";
import { err, ok, type Result } from "./result.ts";
import { CANCELLED_BY_PAYER, describeResultCode, SUCCESS } from "./stk-result-code.ts";

export type PaymentStatus = "pending" | "paid" | "cancelled" | "failed" | "expired";
export const PAYMENT_STATUSES: readonly PaymentStatus[] = [
  "pending",
  "paid",
  "cancelled",
  "failed",
  "expired",
];

export type StkPaymentState = {
  readonly id: string;
  status: PaymentStatus;
  readonly amount: Kes;
  readonly phone: Msisdn;
  checkoutRequestId: string | null;
  merchantRequestId: string | null;
  /** Hash of the secret token in this payment's CallBackURL; the token itself is never stored. */
  readonly callbackTokenHash: string;
  mpesaReceipt: string | null;
  resultCode: string | null;
  failureReason: string | null;
  /** What Daraja answered to the push. Null on rows stored before PayMe kept it (see PushOutcome). */
  pushOutcome: PushOutcome | null;
  needsAttention: boolean;
  attentionReason: string | null;
  /**
   * True when the flag stops every automatic change (a person resolves it); false for an informational flag,
   * which leaves the payment free to be settled by a later callback or query.
   */
  attentionBlocking: boolean;
  readonly createdAt: Date;
  completedAt: Date | null;
  expiredAt: Date | null;
  /** How many times the reconciler has asked Daraja about it without a final answer. */
  checkAttempts: number;
  /** When the reconciler may ask again; null until it first asks. */
  nextCheckAt: Date | null;
};

/** A transition the payment state table does not allow. Callers treat it as "nothing to do". */
export type TransitionRefused = {
  readonly type: "transition_refused";
  readonly from: PaymentStatus;
  readonly attempted: "paid" | "cancelled" | "failed" | "expired" | "receipt" | "checkout";
  readonly reason: string;
};

/** What a definitive success says. A field is null when the source does not carry it (STK Query has no receipt). */
export type PaidEvidence = {
  readonly receipt: string | null;
  readonly amount: number | null;
  readonly phone: Msisdn | null;
  readonly at: Date;
};

/**
 * What applying a success did: moved the payment to paid, only filled in the receipt of a payment already paid,
 * or flagged it for a person (the amount or phone differs from what was asked, Daraja had reported a failure, or
 * a payment already paid was paid again under another receipt).
 */
export type PaidEffect = "paid" | "receipt_filled" | "flagged";

/**
 * - `blocking`: stops every automatic change; a person resolves it (an amount or phone mismatch, a success after
 *   a failure Daraja reported);
 * - `informational`: tells a person, but the payment may still be settled by a later callback or query (paid
 *   after PayMe recorded it failed, push outcome unknown at expiry, a stock shortfall, paid twice).
 */
export type AttentionKind = "blocking" | "informational";

/**
 * The state machine every STK payment follows (wallet purchases, sales, config verifications):
 *
 * ```
 * pending ──0──────────────────▶ paid        (final; a missing receipt may still be filled in, and a success
 *                                             with another receipt flags it, informational: paid twice)
 * pending ──1032───────────────▶ cancelled   (final)
 * pending ──any other code─────▶ failed      (final)
 * pending ──push refused───────▶ failed      (final; the push never started)
 * pending ──no answer in time──▶ expired     (flagged, informational, when it never learned its CheckoutRequestID)
 * expired ──definitive success─▶ paid
 * failed  ──definitive success─▶ paid        (flagged, informational; only when PayMe itself recorded the
 *                                             failure from a refused push, without hearing from Daraja)
 * ```
 * A success whose amount or phone differs from the request is not applied: the payment is flagged (blocking) and
 * keeps its status. A success after a failure or cancellation Daraja reported changes nothing but a blocking flag.
 * A blocking flag leaves the payment for a person: nothing automatic moves it. An informational flag does not
 * stop a later callback or query from settling it. Only an ambiguous push answer (see PushOutcome) leaves the
 * push `unknown`; the payment then stays pending until a callback, a query or expiry settles it.
 */
/** What changed in a payment since it was built or last asked (see StkPayment.takeChanges). */
export type StkPaymentChanges = {
  /** Its new status, when it has a different one. */
  readonly status: PaymentStatus | null;
  /** True when it now needs a person's attention and did not before. */
  readonly flagged: boolean;
};

export abstract class StkPayment {
  /** Status and flag as last reported by takeChanges (or as built). */
  private reported: { status: PaymentStatus; needsAttention: boolean };

  protected constructor(protected readonly state: StkPaymentState) {
    this.reported = { status: state.status, needsAttention: state.needsAttention };
  }

  /**
   * What changed since the payment was created or restored, or since the last call: a new status, a new flag.
   * The saver asks once per save, to record each change once (the outbox); asking again starts over.
   */
  takeChanges(): StkPaymentChanges {
    const changes = {
      status: this.state.status === this.reported.status ? null : this.state.status,
      flagged: this.state.needsAttention && !this.reported.needsAttention,
    };
    this.reported = { status: this.state.status, needsAttention: this.state.needsAttention };
    return changes;
  }

  protected static initialState(input: {
    id: string;
    amount: Kes;
    phone: Msisdn;
    callbackTokenHash: string;
    createdAt: Date;
  }): StkPaymentState {
    return {
      id: input.id,
      amount: input.amount,
      phone: input.phone,
      callbackTokenHash: input.callbackTokenHash,
      createdAt: input.createdAt,
      status: "pending",
      checkoutRequestId: null,
      merchantRequestId: null,
      mpesaReceipt: null,
      resultCode: null,
      failureReason: null,
      // Until Daraja answers the push, and for good when its answer does not say.
      pushOutcome: "unknown",
      needsAttention: false,
      attentionReason: null,
      attentionBlocking: false,
      completedAt: null,
      expiredAt: null,
      checkAttempts: 0,
      nextCheckAt: null,
    };
  }

  /** Daraja answered the push: accepted, with its ids. */
  recordPushAccepted(
    checkoutRequestId: string,
    merchantRequestId: string | null,
  ): Result<void, TransitionRefused> {
    const recorded = this.recordCheckout(checkoutRequestId, merchantRequestId);
    if (recorded.ok) {
      this.state.pushOutcome = "accepted";
    }
    return recorded;
  }

  /**
   * The push's ids, from its answer or from its callback (a payment whose push answer was lost learns them
   * there). Stored once; the same ids again are harmless.
   */
  recordCheckout(
    checkoutRequestId: string,
    merchantRequestId: string | null,
  ): Result<void, TransitionRefused> {
    if (this.state.checkoutRequestId !== null && this.state.checkoutRequestId !== checkoutRequestId) {
      return this.refuse("checkout", "the payment already has a different CheckoutRequestID");
    }
    this.state.checkoutRequestId = checkoutRequestId;
    this.state.merchantRequestId = merchantRequestId ?? this.state.merchantRequestId;
    return ok();
  }

  /**
   * A definitive, trusted success from a callback or an STK Query. Money has moved: it is applied to a pending or
   * expired payment, and to one PayMe itself recorded as failed from a refused push (flagged). A success after a
   * failure Daraja reported changes nothing but a blocking flag; a row failed before PayMe kept push outcomes is
   * left as it is.
   */
  markPaid(evidence: PaidEvidence): Result<PaidEffect, TransitionRefused> {
    const { status } = this.state;
    if (status === "paid") {
      if (this.state.mpesaReceipt === null && evidence.receipt !== null) {
        this.state.mpesaReceipt = evidence.receipt;
        return ok("receipt_filled");
      }
      if (evidence.receipt !== null && evidence.receipt !== this.state.mpesaReceipt) {
        // Another receipt: money moved a second time (a sale paid by its reference, then by its prompt too).
        // The payment stays as it was paid; a person is told, once per receipt.
        const reason = `paid again with receipt ${evidence.receipt} after receipt ${this.state.mpesaReceipt}: the customer may have paid twice`;
        if (!(this.state.needsAttention && this.state.attentionReason?.includes(reason) === true)) {
          this.flag(reason, "informational");
          return ok("flagged");
        }
      }
      return this.refuse("paid", "the payment is already paid");
    }
    if (this.blocked) {
      return this.refuse("paid", "the payment is flagged for a person to resolve");
    }
    const failedLocally = this.failedLocally;
    if (status !== "pending" && status !== "expired" && !failedLocally) {
      if (this.reportedByDaraja) {
        this.flag(
          `M-Pesa reported a success after it had reported ${this.state.failureReason ?? `result code ${this.state.resultCode}`}; check the M-Pesa statement`,
          "blocking",
        );
        return ok("flagged");
      }
      return this.refuse("paid", `a ${status} payment is final`);
    }
    const mismatch = this.mismatchWith(evidence);
    if (mismatch !== null) {
      this.flag(mismatch, "blocking");
      return ok("flagged");
    }
    if (failedLocally) {
      this.flag(
        `paid after it was recorded as failed (${this.state.failureReason ?? "M-Pesa refused the push"}); the payer may have been asked to pay again`,
        "informational",
      );
    }
    this.state.status = "paid";
    this.state.mpesaReceipt = evidence.receipt;
    this.state.resultCode = SUCCESS;
    this.state.failureReason = null;
    this.state.completedAt = evidence.at;
    return ok("paid");
  }

  /** A definitive non-zero ResultCode: 1032 cancels, every other code fails. */
  markUnsuccessful(
    resultCode: string,
    darajaDescription: string | undefined,
    at: Date,
  ): Result<"cancelled" | "failed", TransitionRefused> {
    const to = resultCode === CANCELLED_BY_PAYER ? "cancelled" : "failed";
    const refused = this.refuseUnlessOpen(to);
    if (refused !== null) {
      return refused;
    }
    this.state.status = to;
    this.state.resultCode = resultCode;
    this.state.failureReason = describeResultCode(resultCode, darajaDescription);
    this.state.completedAt = at;
    return ok(to);
  }

  /** Daraja refused the push outright, so it never reached the phone. */
  markPushRefused(reason: string, at: Date): Result<void, TransitionRefused> {
    const refused = this.refuseUnlessOpen("failed");
    if (refused !== null) {
      return refused;
    }
    if (this.state.checkoutRequestId !== null) {
      return this.refuse("failed", "Daraja already accepted this push");
    }
    this.state.status = "failed";
    this.state.pushOutcome = "refused";
    this.state.failureReason = reason;
    this.state.completedAt = at;
    return ok();
  }

  /**
   * No definitive answer came within the give-up limit. A later success still moves it to paid. A payment that
   * never learned its CheckoutRequestID cannot be queried, so it is flagged for a person to check the M-Pesa
   * statement (informational: a callback may still settle it).
   */
  expire(at: Date): Result<void, TransitionRefused> {
    const refused = this.refuseUnlessOpen("expired");
    if (refused !== null) {
      return refused;
    }
    this.state.status = "expired";
    this.state.expiredAt = at;
    if (this.state.checkoutRequestId === null) {
      this.flag(
        "push outcome unknown: M-Pesa never named this push, so it cannot be queried; check the M-Pesa statement",
        "informational",
      );
    }
    return ok();
  }

  /** The reconciler asked Daraja (or is about to) and has no final answer: it asks again no earlier than `at`. */
  scheduleCheck(at: Date): void {
    this.state.checkAttempts += 1;
    this.state.nextCheckAt = at;
  }

  /**
   * A claimed check that was never asked (the instance is shutting down): it is due again at `at`, and the
   * claim does not count as an attempt, so another instance asks at once, without the back-off.
   */
  handBackCheck(at: Date): void {
    this.state.checkAttempts = Math.max(0, this.state.checkAttempts - 1);
    this.state.nextCheckAt = at;
  }

  /**
   * Sets the payment aside for a person, with the reason. A blocking flag is never weakened by an informational
   * one; a second reason is added to the first.
   */
  flag(reason: string, kind: AttentionKind): void {
    const previous = this.state.needsAttention ? this.state.attentionReason : null;
    this.state.attentionReason =
      previous === null || previous.includes(reason)
        ? (previous ?? reason)
        : // The reason that stops everything is read first.
          kind === "blocking"
          ? `${reason}; ${previous}`
          : `${previous}; ${reason}`;
    this.state.needsAttention = true;
    this.state.attentionBlocking ||= kind === "blocking";
  }

  /** True when a blocking flag stops every automatic change. */
  get blocked(): boolean {
    return this.state.needsAttention && this.state.attentionBlocking;
  }

  /**
   * True when PayMe itself recorded the failure, from a push Daraja refused, without hearing from Daraja about the
   * payment (no ResultCode). Rows from before PayMe kept push outcomes are not: their failure may have been an
   * ambiguous answer, and they are left as they are.
   */
  get failedLocally(): boolean {
    return (
      this.state.status === "failed" && this.state.pushOutcome === "refused" && this.state.resultCode === null
    );
  }

  /** True when a definitive success could still move the payment to paid (see markPaid). */
  get payable(): boolean {
    const { status } = this.state;
    return !this.blocked && (status === "pending" || status === "expired" || this.failedLocally);
  }

  /** True for a failure or cancellation Daraja reported with a ResultCode: final, whatever comes later. */
  private get reportedByDaraja(): boolean {
    const { status, resultCode } = this.state;
    return (status === "failed" || status === "cancelled") && resultCode !== null;
  }

  private mismatchWith(evidence: PaidEvidence): string | null {
    if (evidence.amount !== null && evidence.amount !== this.state.amount.value) {
      return `M-Pesa reports ${evidence.amount} paid, but ${this.state.amount.value} was asked`;
    }
    if (evidence.phone !== null && !evidence.phone.equals(this.state.phone)) {
      return `M-Pesa reports payment from ${evidence.phone.value}, but ${this.state.phone.value} was asked`;
    }
    return null;
  }

  private refuseUnlessOpen(to: TransitionRefused["attempted"]): Result<never, TransitionRefused> | null {
    if (this.state.status !== "pending") {
      return this.refuse(to, `a ${this.state.status} payment cannot become ${to}`);
    }
    if (this.blocked) {
      return this.refuse(to, "the payment is flagged for a person to resolve");
    }
    return null;
  }

  private refuse(
    attempted: TransitionRefused["attempted"],
    reason: string,
  ): Result<never, TransitionRefused> {
    return err({ type: "transition_refused", from: this.state.status, attempted, reason });
  }

  /** True while no definitive outcome is known. */
  get isOpen(): boolean {
    return this.state.status === "pending";
  }

  get id(): string {
    return this.state.id;
  }
  get status(): PaymentStatus {
    return this.state.status;
  }
  get amount(): Kes {
    return this.state.amount;
  }
  get phone(): Msisdn {
    return this.state.phone;
  }
  get checkoutRequestId(): string | null {
    return this.state.checkoutRequestId;
  }
  get merchantRequestId(): string | null {
    return this.state.merchantRequestId;
  }
  get callbackTokenHash(): string {
    return this.state.callbackTokenHash;
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
  get pushOutcome(): PushOutcome | null {
    return this.state.pushOutcome;
  }
  get needsAttention(): boolean {
    return this.state.needsAttention;
  }
  /** Null when the payment is not flagged. */
  get attentionKind(): AttentionKind | null {
    if (!this.state.needsAttention) {
      return null;
    }
    return this.state.attentionBlocking ? "blocking" : "informational";
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
  get expiredAt(): Date | null {
    return this.state.expiredAt;
  }
  get checkAttempts(): number {
    return this.state.checkAttempts;
  }
  get nextCheckAt(): Date | null {
    return this.state.nextCheckAt;
  }

  /** A copy of the state, for repositories. */
  snapshot(): StkPaymentState {
    return { ...this.state };
  }
}

import type { Kes } from "./kes.ts";
import type { Msisdn } from "./msisdn.ts";
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
  needsAttention: boolean;
  attentionReason: string | null;
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
 * or flagged it for a person because the amount or phone differs from what was asked.
 */
export type PaidEffect = "paid" | "receipt_filled" | "flagged";

/**
 * The state machine every STK payment follows (wallet purchases, sales, config verifications):
 *
 * ```
 * pending ──0──────────────────▶ paid        (final; a missing receipt may still be filled in)
 * pending ──1032───────────────▶ cancelled   (final)
 * pending ──any other code─────▶ failed      (final)
 * pending ──push refused───────▶ failed      (final; the push never started)
 * pending ──no answer in time──▶ expired
 * expired ──definitive success─▶ paid
 * ```
 * A success whose amount or phone differs from the request is not applied: the payment is flagged
 * `needsAttention` and keeps its status. A flagged payment is left for a person; nothing automatic moves it.
 */
export abstract class StkPayment {
  protected constructor(protected readonly state: StkPaymentState) {}

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
      needsAttention: false,
      attentionReason: null,
      completedAt: null,
      expiredAt: null,
      checkAttempts: 0,
      nextCheckAt: null,
    };
  }

  /** Daraja accepted the push and named it. Stored once; the same ids again are harmless. */
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

  /** A definitive success from a callback or an STK Query. */
  markPaid(evidence: PaidEvidence): Result<PaidEffect, TransitionRefused> {
    const { status } = this.state;
    if (status === "paid") {
      if (this.state.mpesaReceipt === null && evidence.receipt !== null) {
        this.state.mpesaReceipt = evidence.receipt;
        return ok("receipt_filled");
      }
      return this.refuse("paid", "the payment is already paid");
    }
    if (status !== "pending" && status !== "expired") {
      return this.refuse("paid", `a ${status} payment is final`);
    }
    if (this.state.needsAttention) {
      return this.refuse("paid", "the payment is flagged for a person to resolve");
    }
    const mismatch = this.mismatchWith(evidence);
    if (mismatch !== null) {
      this.flag(mismatch);
      return ok("flagged");
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
    this.state.failureReason = reason;
    this.state.completedAt = at;
    return ok();
  }

  /** No definitive answer came within the give-up limit. A later success still moves it to paid. */
  expire(at: Date): Result<void, TransitionRefused> {
    const refused = this.refuseUnlessOpen("expired");
    if (refused !== null) {
      return refused;
    }
    this.state.status = "expired";
    this.state.expiredAt = at;
    return ok();
  }

  /** The reconciler asked Daraja (or is about to) and has no final answer: it asks again no earlier than `at`. */
  scheduleCheck(at: Date): void {
    this.state.checkAttempts += 1;
    this.state.nextCheckAt = at;
  }

  /** Sets the payment aside for a person, with the reason. */
  flag(reason: string): void {
    this.state.needsAttention = true;
    this.state.attentionReason = reason;
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
    if (this.state.needsAttention) {
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

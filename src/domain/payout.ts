import { type InvalidInput, invalid } from "./invalid-value.ts";
import type { Kes } from "./kes.ts";
import type { Msisdn } from "./msisdn.ts";
import { PayoutRemarks } from "./payout-remarks.ts";
import type { PushOutcome } from "./push-outcome.ts";
import { err, ok, type Result } from "./result.ts";

export type PayoutStatus = "pending" | "completed" | "failed";
export const PAYOUT_STATUSES: readonly PayoutStatus[] = ["pending", "completed", "failed"];

/** Daraja's B2C CommandIDs a business may use. */
export type PayoutCommand = "BusinessPayment" | "SalaryPayment" | "PromotionPayment";
export const PAYOUT_COMMANDS: readonly PayoutCommand[] = [
  "BusinessPayment",
  "SalaryPayment",
  "PromotionPayment",
];

/** The remarks of a payout that was given none. */
const DEFAULT_REMARKS = "Payout";

const B2C_REASONS: Readonly<Record<string, string>> = {
  "1": "the B2C utility account has insufficient funds",
  "2": "the amount is below the M-Pesa minimum",
  "3": "the amount is above the M-Pesa maximum for one payment",
  "4": "the recipient's daily M-Pesa limit would be exceeded",
  "8": "the recipient's M-Pesa balance limit would be exceeded",
  "11": "the B2C account is inactive or in an invalid state",
  "17": "M-Pesa had an internal error",
  "21": "the initiator is not allowed to make B2C payments",
  "2001": "the initiator name or password is wrong",
  "2006": "the B2C account's status does not allow this payment",
  "2028": "the shortcode is not allowed to make B2C payments",
  "2040": "the recipient is not a registered M-Pesa customer",
  "8006": "the initiator's security credential is locked",
  SFC_IC0003: "the recipient's number is not valid on M-Pesa",
};

export type PayoutState = {
  readonly id: string;
  readonly businessId: string;
  /** The user who asked for the payout. */
  readonly requestedBy: string;
  /** The payout config (shortcode and initiator) it was sent with; a status query must use the same. */
  readonly payoutConfigId: string;
  readonly amount: Kes;
  readonly phone: Msisdn;
  readonly commandId: PayoutCommand;
  readonly remarks: string;
  /** Our own id for the B2C request (v3); Daraja refuses a second request with the same one. */
  readonly originatorConversationId: string;
  conversationId: string | null;
  /** Hash of the secret token in this payout's result and timeout URLs. */
  readonly callbackTokenHash: string;
  /** When M-Pesa said the request timed out in its queue: only a Transaction Status query can settle it now. */
  queueTimedOutAt: Date | null;
  /** Hash of the secret token in the URLs of the latest Transaction Status query about this payout. */
  statusTokenHash: string | null;
  statusQueriedAt: Date | null;
  /** How many Transaction Status queries were sent about it. */
  statusQueries: number;
  status: PayoutStatus;
  /** What Daraja answered to the B2C request. Null on rows stored before PayMe kept it (see PushOutcome). */
  pushOutcome: PushOutcome | null;
  mpesaReceipt: string | null;
  recipientName: string | null;
  resultCode: string | null;
  failureReason: string | null;
  /** Set aside for a person: completed after PayMe recorded it failed, or a success after a reported failure. */
  needsAttention: boolean;
  attentionReason: string | null;
  readonly createdAt: Date;
  completedAt: Date | null;
};

export type PayoutTransitionRefused = {
  readonly type: "payout_transition_refused";
  readonly from: PayoutStatus;
  readonly attempted: "completed" | "failed" | "accepted" | "queue_timed_out" | "status_queried";
  readonly reason: string;
};

/** What applying a success result did: completed the payout, or only flagged it for a person. */
export type PayoutCompletion = "completed" | "flagged";

/**
 * Money a business sends to a phone by B2C: `pending → completed | failed`, and never sent twice.
 * A queue timeout, or an answer to the request that does not say whether Daraja took it, leaves it pending until
 * its result or a Transaction Status query settles it. Where money may have moved, it is never recorded as not:
 * a trusted success for a payout PayMe itself recorded failed (Daraja refused the request) completes it, flagged;
 * a success after a failure Daraja reported changes nothing but a flag.
 */
export class Payout {
  static readonly REMARKS_MIN = PayoutRemarks.MIN;
  static readonly REMARKS_MAX = PayoutRemarks.MAX;

  /** The status last reported by takeStatusChange (or as built). */
  private reportedStatus: PayoutStatus;

  private constructor(private readonly state: PayoutState) {
    this.reportedStatus = state.status;
  }

  /**
   * Its new status when it changed since the payout was created or restored, or since the last call; else null.
   * The saver asks once per save, to record each change once (the outbox).
   */
  takeStatusChange(): PayoutStatus | null {
    const changed = this.state.status === this.reportedStatus ? null : this.state.status;
    this.reportedStatus = this.state.status;
    return changed;
  }

  static create(input: {
    id: string;
    businessId: string;
    requestedBy: string;
    payoutConfigId: string;
    /** 10 to 250,000 shillings (Kes.forPayout). */
    amount: Kes;
    phone: Msisdn;
    /** BusinessPayment when left out. */
    commandId?: PayoutCommand;
    /** "Payout" when left out. */
    remarks?: PayoutRemarks | null;
    originatorConversationId: string;
    callbackTokenHash: string;
    createdAt: Date;
  }): Payout {
    return new Payout({
      id: input.id,
      businessId: input.businessId,
      requestedBy: input.requestedBy,
      payoutConfigId: input.payoutConfigId,
      phone: input.phone,
      amount: input.amount,
      commandId: input.commandId ?? "BusinessPayment",
      remarks: input.remarks?.value ?? DEFAULT_REMARKS,
      originatorConversationId: input.originatorConversationId,
      conversationId: null,
      callbackTokenHash: input.callbackTokenHash,
      queueTimedOutAt: null,
      statusTokenHash: null,
      statusQueriedAt: null,
      statusQueries: 0,
      status: "pending",
      // Until Daraja answers the request, and for good when its answer does not say.
      pushOutcome: "unknown",
      mpesaReceipt: null,
      recipientName: null,
      resultCode: null,
      failureReason: null,
      needsAttention: false,
      attentionReason: null,
      createdAt: input.createdAt,
      completedAt: null,
    });
  }

  /** The B2C command id as asked: one of BusinessPayment, SalaryPayment or PromotionPayment. */
  static parseCommand(input: unknown, path = "commandId"): Result<PayoutCommand, InvalidInput> {
    return PAYOUT_COMMANDS.includes(input as PayoutCommand)
      ? ok(input as PayoutCommand)
      : err(invalid(path, `must be one of ${PAYOUT_COMMANDS.join(", ")}`));
  }

  static restore(state: PayoutState): Payout {
    return new Payout({ ...state });
  }

  /** Daraja answered the request: accepted, naming its conversation. */
  recordAcceptance(conversationId: string): Result<void, PayoutTransitionRefused> {
    const learned = this.learnConversationId(conversationId);
    if (learned.ok) {
      this.state.pushOutcome = "accepted";
    }
    return learned;
  }

  /**
   * Daraja answered "Duplicate OriginatorConversationID": it already has a request with this payout's id, so an
   * earlier one was accepted. The payout stays pending for its result or a Transaction Status query.
   */
  recordDuplicateAccepted(): Result<void, PayoutTransitionRefused> {
    if (this.state.status !== "pending") {
      return this.refuse("accepted", `a ${this.state.status} payout is final`);
    }
    this.state.pushOutcome = "accepted";
    return ok();
  }

  /** The conversation a result names, for a payout whose request answer was lost. */
  learnConversationId(conversationId: string): Result<void, PayoutTransitionRefused> {
    if (this.state.conversationId !== null && this.state.conversationId !== conversationId) {
      return this.refuse("accepted", "the payout already has a different ConversationID");
    }
    this.state.conversationId = conversationId;
    return ok();
  }

  /** Daraja refused the request outright (a definite refusal): nothing was sent on, and the payout fails. */
  markRequestRefused(reason: string, at: Date): Result<void, PayoutTransitionRefused> {
    if (this.state.status !== "pending") {
      return this.refuse("failed", `a ${this.state.status} payout is final`);
    }
    if (this.state.conversationId !== null) {
      return this.refuse("failed", "Daraja already accepted this payout");
    }
    this.state.status = "failed";
    this.state.pushOutcome = "refused";
    this.state.resultCode = null;
    this.state.failureReason = reason;
    this.state.completedAt = at;
    return ok();
  }

  /**
   * M-Pesa's queue timed out the request. Whether the money moved is unknown: the payout stays pending until a
   * Transaction Status query settles it. A second notice keeps the first time.
   */
  recordQueueTimeout(at: Date): Result<void, PayoutTransitionRefused> {
    if (this.state.status !== "pending") {
      return this.refuse("queue_timed_out", `a ${this.state.status} payout is final`);
    }
    this.state.queueTimedOutAt ??= at;
    return ok();
  }

  /**
   * A Transaction Status query is about to be sent, with a fresh token in its URLs: only its result is trusted
   * from now on. Refused once the payout is final, so a settled payout is never asked about.
   */
  recordStatusQuery(tokenHash: string, at: Date): Result<void, PayoutTransitionRefused> {
    if (this.state.status !== "pending") {
      return this.refuse("status_queried", `a ${this.state.status} payout is final`);
    }
    this.state.statusTokenHash = tokenHash;
    this.state.statusQueriedAt = at;
    this.state.statusQueries += 1;
    return ok();
  }

  /**
   * A trusted success result: the money moved. A pending payout completes. One PayMe itself recorded failed from a
   * refused request completes too, flagged for a person (the business may have sent it again). One whose failure
   * Daraja reported stays failed and is flagged; a flagged one changes no more.
   */
  complete(result: {
    receipt: string;
    recipientName: string | null;
    at: Date;
  }): Result<PayoutCompletion, PayoutTransitionRefused> {
    const failedLocally = this.failedLocally;
    if (this.state.status !== "pending" && !failedLocally) {
      // Only a failure Daraja reported (a result code) is flagged; a row failed before PayMe kept request
      // outcomes is left as it is.
      if (this.state.status === "failed" && this.state.resultCode !== null && !this.state.needsAttention) {
        this.flag(
          `M-Pesa reported the payout completed (receipt ${result.receipt}) after it had reported ${this.state.failureReason ?? "a failure"}; check the M-Pesa statement`,
        );
        return ok("flagged");
      }
      return this.refuse("completed", `a ${this.state.status} payout is final`);
    }
    if (failedLocally) {
      this.flag(
        `completed after it was recorded as failed (${this.state.failureReason ?? "M-Pesa refused the request"}); it may have been sent again`,
      );
      this.state.failureReason = null;
    }
    this.state.status = "completed";
    this.state.mpesaReceipt = result.receipt;
    this.state.recipientName = result.recipientName;
    this.state.resultCode = "0";
    this.state.completedAt = result.at;
    return ok("completed");
  }

  /** A definitive failure result, with Daraja's ResultCode. */
  fail(result: {
    resultCode: string;
    description?: string;
    at: Date;
  }): Result<void, PayoutTransitionRefused> {
    if (this.state.status !== "pending") {
      return this.refuse("failed", `a ${this.state.status} payout is final`);
    }
    this.state.status = "failed";
    this.state.resultCode = result.resultCode;
    this.state.failureReason =
      B2C_REASONS[result.resultCode] ??
      (result.description?.trim() || `M-Pesa answered with result code ${result.resultCode}`);
    this.state.completedAt = result.at;
    return ok();
  }

  /**
   * True when PayMe itself recorded the failure from a request Daraja refused, without a result from Daraja.
   * Rows from before PayMe kept request outcomes are not: they are left as they are.
   */
  get failedLocally(): boolean {
    return (
      this.state.status === "failed" && this.state.pushOutcome === "refused" && this.state.resultCode === null
    );
  }

  private flag(reason: string): void {
    const previous = this.state.needsAttention ? this.state.attentionReason : null;
    this.state.needsAttention = true;
    this.state.attentionReason = previous === null ? reason : `${previous}; ${reason}`;
  }

  private refuse(
    attempted: PayoutTransitionRefused["attempted"],
    reason: string,
  ): Result<never, PayoutTransitionRefused> {
    return err({ type: "payout_transition_refused", from: this.state.status, attempted, reason });
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
  get amount(): Kes {
    return this.state.amount;
  }
  get phone(): Msisdn {
    return this.state.phone;
  }
  get payoutConfigId(): string {
    return this.state.payoutConfigId;
  }
  get commandId(): PayoutCommand {
    return this.state.commandId;
  }
  get remarks(): string {
    return this.state.remarks;
  }
  get originatorConversationId(): string {
    return this.state.originatorConversationId;
  }
  get conversationId(): string | null {
    return this.state.conversationId;
  }
  get callbackTokenHash(): string {
    return this.state.callbackTokenHash;
  }
  get queueTimedOutAt(): Date | null {
    return this.state.queueTimedOutAt;
  }
  get statusTokenHash(): string | null {
    return this.state.statusTokenHash;
  }
  get statusQueriedAt(): Date | null {
    return this.state.statusQueriedAt;
  }
  get statusQueries(): number {
    return this.state.statusQueries;
  }
  get status(): PayoutStatus {
    return this.state.status;
  }
  get pushOutcome(): PushOutcome | null {
    return this.state.pushOutcome;
  }
  get needsAttention(): boolean {
    return this.state.needsAttention;
  }
  get attentionReason(): string | null {
    return this.state.attentionReason;
  }
  get mpesaReceipt(): string | null {
    return this.state.mpesaReceipt;
  }
  get recipientName(): string | null {
    return this.state.recipientName;
  }
  get resultCode(): string | null {
    return this.state.resultCode;
  }
  get failureReason(): string | null {
    return this.state.failureReason;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get completedAt(): Date | null {
    return this.state.completedAt;
  }

  snapshot(): PayoutState {
    return { ...this.state };
  }
}

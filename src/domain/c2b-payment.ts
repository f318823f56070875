import type { Kes } from "./kes.ts";

/** Where PayMe learned of a C2B payment. */
export type C2bSource = "confirmation" | "pull" | "status_query";
export const C2B_SOURCES: readonly C2bSource[] = ["confirmation", "pull", "status_query"];

export type C2bPaymentState = {
  readonly id: string;
  readonly businessId: string;
  /** The M-Pesa receipt (TransID): one payment per receipt, whoever reports it and however often. */
  readonly receipt: string;
  readonly amount: Kes;
  /** As Daraja sent it: masked (v2, `2547 ***** 126`) or a SHA-256 hex of the number (v1). Never parsed. */
  readonly phone: string;
  readonly payerName: string | null;
  /** BillRefNumber: what the payer typed as the account number (paybills only). */
  readonly accountNumber: string | null;
  /** "Pay Bill", "Buy Goods", … as Daraja sent it (possibly empty). */
  readonly transactionType: string;
  /** The shortcode the money was paid to, as Daraja sent it. */
  readonly shortcode: string;
  readonly paidAt: Date;
  readonly source: C2bSource;
  matchedSaleId: string | null;
  needsAttention: boolean;
  attentionReason: string | null;
  refundedAmount: number;
  readonly createdAt: Date;
};

/**
 * Money a customer paid a business from their own M-Pesa menu (Lipa na M-Pesa: Pay Bill or Buy Goods). It is
 * recorded once, when Safaricom or a pull first reports its receipt; what it paid for (a pending sale, by its
 * reference) and anything a person must look at are all that changes afterwards.
 */
export class C2bPayment {
  private constructor(private readonly state: C2bPaymentState) {}

  static record(
    input: Omit<C2bPaymentState, "matchedSaleId" | "needsAttention" | "attentionReason" | "refundedAmount">,
  ): C2bPayment {
    return new C2bPayment({
      ...input,
      matchedSaleId: null,
      needsAttention: false,
      attentionReason: null,
      refundedAmount: 0,
    });
  }

  static restore(state: C2bPaymentState): C2bPayment {
    return new C2bPayment({ ...state });
  }

  /** It paid this sale. */
  settles(saleId: string): void {
    this.state.matchedSaleId = saleId;
  }

  /**
   * A refund of this receipt completed. What was given back never shows as more than was paid: the cap on
   * refunds keeps it so, and a refund completed after it was recorded failed is flagged on the refund instead.
   */
  addRefunded(amount: number): void {
    if (!Number.isInteger(amount) || amount < 1) {
      throw new RangeError(`a refund must be a positive whole amount, got ${amount}`);
    }
    this.state.refundedAmount = Math.min(this.state.refundedAmount + amount, this.state.amount.value);
  }

  /** Sets it aside for a person, with the reason; a second reason is added to the first. */
  flag(reason: string): void {
    const previous = this.state.needsAttention ? this.state.attentionReason : null;
    this.state.attentionReason =
      previous === null || previous.includes(reason) ? (previous ?? reason) : `${previous}; ${reason}`;
    this.state.needsAttention = true;
  }

  /**
   * The same receipt reported again. The same amount changes nothing; a different one is never credited, and the
   * payment is flagged for a person. True when it was flagged now.
   */
  reportedAgain(amount: number): boolean {
    if (amount === this.state.amount.value) {
      return false;
    }
    const reason = `receipt ${this.state.receipt} was reported again with amount ${amount} (recorded: ${this.state.amount.value}); check the M-Pesa statement`;
    const before = this.state.attentionReason;
    this.flag(reason);
    return before !== this.state.attentionReason;
  }

  get id(): string {
    return this.state.id;
  }
  get businessId(): string {
    return this.state.businessId;
  }
  get receipt(): string {
    return this.state.receipt;
  }
  get amount(): Kes {
    return this.state.amount;
  }
  get phone(): string {
    return this.state.phone;
  }
  get payerName(): string | null {
    return this.state.payerName;
  }
  get accountNumber(): string | null {
    return this.state.accountNumber;
  }
  get transactionType(): string {
    return this.state.transactionType;
  }
  get shortcode(): string {
    return this.state.shortcode;
  }
  get paidAt(): Date {
    return this.state.paidAt;
  }
  get source(): C2bSource {
    return this.state.source;
  }
  get matchedSaleId(): string | null {
    return this.state.matchedSaleId;
  }
  get needsAttention(): boolean {
    return this.state.needsAttention;
  }
  get attentionReason(): string | null {
    return this.state.attentionReason;
  }
  get refundedAmount(): number {
    return this.state.refundedAmount;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }

  snapshot(): C2bPaymentState {
    return { ...this.state };
  }
}

import { type InvalidInput, invalid, mergeInvalid } from "./invalid-value.ts";
import { Kes } from "./kes.ts";
import type { Msisdn } from "./msisdn.ts";
import type { Product } from "./product.ts";
import { Quantity } from "./quantity.ts";
import { err, ok, type Result } from "./result.ts";
import type { SaleDescription } from "./sale-description.ts";
import type { SaleReference } from "./sale-reference.ts";
import { StkPayment, type StkPaymentState } from "./stk-payment.ts";

export type SaleItem = {
  readonly productId: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: Kes;
};

/**
 * Where a sale's items stand in stock:
 * - `none`: a plain-amount sale, no stock moves;
 * - `reserved`: held while the payment is unknown;
 * - `committed`: sold for good (the sale is paid);
 * - `released`: given back (failed, cancelled, or the hold lapsed);
 * - `returned`: sold, then put back in stock by a completed full refund.
 */
export type StockState = "none" | "reserved" | "committed" | "released" | "returned";
export const STOCK_STATES: readonly StockState[] = ["none", "reserved", "committed", "released", "returned"];

export type SaleState = StkPaymentState & {
  readonly businessId: string;
  /** Short and unique within the business: what a customer types as the paybill account number to pay it. */
  readonly reference: SaleReference;
  /** The payment config the push went through; its success verifies the config. */
  readonly paymentConfigId: string;
  readonly items: readonly SaleItem[];
  readonly description: string | null;
  stockState: StockState;
  /** When the reservation lapses if the payment is still unknown. Null when nothing is reserved. */
  readonly holdExpiresAt: Date | null;
  /** Shillings given back by completed refunds. */
  refundedAmount: number;
  /**
   * The random token of the sale's public receipt link, issued when a paid sale's receipt is first shared; null
   * until then. It opens the receipt and nothing else.
   */
  readonly receiptToken: string | null;
};

export type AmountMismatch = {
  readonly type: "amount_mismatch";
  readonly expected: number;
  readonly given: number;
};

export type StockStateRefused = {
  readonly type: "stock_transition_refused";
  readonly from: StockState;
  readonly attempted: StockState;
  readonly reason: string;
};

/** A line a cashier asked for: a product of the business and how many. */
export type SaleLine = { readonly product: Product; readonly quantity: Quantity };

/** A business charging a customer by STK push, for listed items or for a plain amount. */
export class Sale extends StkPayment {
  /** The most units of one product a sale may list. */
  static readonly QUANTITY_MAX = Quantity.MAX;
  private constructor(protected override readonly state: SaleState) {
    super(state);
  }

  /**
   * With lines, the amount is the sum of price × quantity, and a given amount that differs is a mismatch.
   * Without lines, the amount is required and no stock moves.
   */
  static create(input: {
    id: string;
    businessId: string;
    reference: SaleReference;
    paymentConfigId: string;
    phone: Msisdn;
    amount?: Kes;
    lines?: readonly SaleLine[];
    description?: SaleDescription | null;
    callbackTokenHash: string;
    createdAt: Date;
    holdExpiresAt: Date;
  }): Result<Sale, InvalidInput | AmountMismatch> {
    const items = input.lines === undefined ? ok(null) : Sale.parseLines(input.lines, input.businessId);
    if (!items.ok) {
      return items;
    }
    const amount = Sale.amountFor(items.value, input.amount);
    if (!amount.ok) {
      return amount;
    }
    const hasItems = items.value !== null;
    return ok(
      new Sale({
        ...StkPayment.initialState({ ...input, amount: amount.value }),
        businessId: input.businessId,
        reference: input.reference,
        paymentConfigId: input.paymentConfigId,
        items: items.value ?? [],
        description: input.description?.value ?? null,
        stockState: hasItems ? "reserved" : "none",
        holdExpiresAt: hasItems ? input.holdExpiresAt : null,
        refundedAmount: 0,
        receiptToken: null,
      }),
    );
  }

  static restore(state: SaleState): Sale {
    return new Sale({ ...state });
  }

  private static parseLines(
    lines: readonly SaleLine[],
    businessId: string,
  ): Result<SaleItem[], InvalidInput> {
    if (lines.length === 0) {
      return err(invalid("items", "must list at least one item, or be left out for a plain amount"));
    }
    const errors: InvalidInput[] = [];
    const seen = new Set<string>();
    const items: SaleItem[] = [];
    lines.forEach(({ product, quantity }, index) => {
      if (product.businessId !== businessId) {
        throw new Error("a sale line must be a product of the selling business");
      }
      if (seen.has(product.id)) {
        errors.push(invalid(`items.${index}.productId`, "lists a product that is already in the sale"));
      }
      seen.add(product.id);
      items.push({
        productId: product.id,
        name: product.name,
        quantity: quantity.value,
        unitPrice: product.price,
      });
    });
    return errors.length > 0 ? err(mergeInvalid(errors)) : ok(items);
  }

  private static amountFor(
    items: readonly SaleItem[] | null,
    given: Kes | undefined,
  ): Result<Kes, InvalidInput | AmountMismatch> {
    if (items === null) {
      return given === undefined ? err(invalid("amount", "is required when no items are listed")) : ok(given);
    }
    const total = items.reduce((sum, item) => sum + item.unitPrice.value * item.quantity, 0);
    if (given !== undefined && given.value !== total) {
      return err({ type: "amount_mismatch", expected: total, given: given.value });
    }
    const pushable = Kes.forPush(total);
    return pushable.ok
      ? pushable
      : err(invalid("items", `add up to ${total}, outside what one M-Pesa payment allows`));
  }

  /** Paid: the held stock is sold for good. */
  commitStock(): Result<readonly SaleItem[], StockStateRefused> {
    return this.moveStock(
      "reserved",
      "committed",
      this.state.status === "paid",
      "only a paid sale sells its stock",
    );
  }

  /** Failed, cancelled, or the hold lapsed while the payment was unknown: the held stock goes back. */
  releaseStock(): Result<readonly SaleItem[], StockStateRefused> {
    return this.moveStock(
      "reserved",
      "released",
      this.state.status !== "paid",
      "a paid sale keeps its stock",
    );
  }

  /** Paid after the hold lapsed: the stock was given back, and the sale takes it again. */
  retakeStock(): Result<readonly SaleItem[], StockStateRefused> {
    return this.moveStock(
      "released",
      "committed",
      this.state.status === "paid",
      "only a paid sale takes stock again",
    );
  }

  /** A full refund completed: the items sold go back into stock (once). */
  returnStock(): Result<readonly SaleItem[], StockStateRefused> {
    return this.moveStock(
      "committed",
      "returned",
      this.state.status === "paid",
      "only a paid sale gives its stock back",
    );
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

  /** True once the reservation should be given back because the payment is still unknown. */
  holdLapsedAt(now: Date): boolean {
    return (
      this.state.stockState === "reserved" &&
      this.state.holdExpiresAt !== null &&
      now >= this.state.holdExpiresAt
    );
  }

  private moveStock(
    from: StockState,
    to: StockState,
    allowed: boolean,
    reason: string,
  ): Result<readonly SaleItem[], StockStateRefused> {
    if (this.state.stockState !== from || !allowed) {
      return err({
        type: "stock_transition_refused",
        from: this.state.stockState,
        attempted: to,
        reason: this.state.stockState !== from ? `the stock is ${this.state.stockState}` : reason,
      });
    }
    this.state.stockState = to;
    return ok(this.state.items);
  }

  get businessId(): string {
    return this.state.businessId;
  }
  get reference(): SaleReference {
    return this.state.reference;
  }
  get paymentConfigId(): string {
    return this.state.paymentConfigId;
  }
  get items(): readonly SaleItem[] {
    return this.state.items;
  }
  get description(): string | null {
    return this.state.description;
  }
  get stockState(): StockState {
    return this.state.stockState;
  }
  get holdExpiresAt(): Date | null {
    return this.state.holdExpiresAt;
  }
  get refundedAmount(): number {
    return this.state.refundedAmount;
  }
  get receiptToken(): string | null {
    return this.state.receiptToken;
  }

  override snapshot(): SaleState {
    return { ...this.state };
  }
}

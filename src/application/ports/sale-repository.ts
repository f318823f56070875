import type { Sale } from "../../domain/sale.ts";
import type { SaleReference } from "../../domain/sale-reference.ts";
import type { PaymentStatus } from "../../domain/stk-payment.ts";
import type { Page, PageRequest } from "./page.ts";
import type { StkPaymentRepository } from "./stk-payment-repository.ts";

/**
 * The uniqueness rule a sale's reference keeps within its business: adding a sale whose reference is taken
 * throws UniqueViolation with this constraint, and its maker draws another.
 */
export const SALE_REFERENCE_UNIQUE = "sales_business_id_reference_unique";

/**
 * Which of a business's sales a history shows: created in [from, to), of one status, to one phone (normalised),
 * with one M-Pesa receipt, and `q` found (any case) in the reference, receipt, phone or description; `qPhone` is
 * `q` read as a phone number, when it is one, matching the normalised phone exactly.
 */
export type SaleFilter = {
  readonly status?: PaymentStatus;
  readonly from?: Date;
  readonly to?: Date;
  readonly phone?: string;
  readonly receipt?: string;
  readonly q?: string;
  readonly qPhone?: string;
};

/** Figures over a whole filtered set of sales, not just a page. */
export type SaleTotals = {
  readonly count: number;
  readonly paidCount: number;
  readonly paidAmount: number;
  readonly refundedAmount: number;
};

/** Sales of businesses. */
export interface SaleRepository extends StkPaymentRepository<Sale> {
  /** The business's sale with this reference, locked until the transaction ends when asked. */
  findByReference(
    businessId: string,
    reference: SaleReference,
    options?: { lock?: boolean },
  ): Promise<Sale | null>;
  /**
   * Claims up to `limit` sales still holding stock whose hold ended at or before `now`, locked, skipping rows
   * other transactions hold.
   */
  claimLapsedHolds(now: Date, limit: number): Promise<Sale[]>;
  /** A business's sales matching the filter, newest first. */
  listByBusiness(businessId: string, filter: SaleFilter, page: PageRequest): Promise<Page<Sale>>;
  /** The figures of every sale of the business the filter matches. */
  totals(businessId: string, filter: SaleFilter): Promise<SaleTotals>;
  /** The sale whose public receipt link carries this token. */
  findByReceiptToken(token: string): Promise<Sale | null>;
  /**
   * Gives the sale this receipt token unless it has one already, without touching anything else of the row; answers
   * the token the sale keeps (the first issued wins a race).
   */
  issueReceiptToken(saleId: string, token: string): Promise<string>;
}

import type { C2bPayment } from "../../domain/c2b-payment.ts";
import type { Page, PageRequest } from "./page.ts";

/**
 * Filters of a business's C2B payments: paid in [from, to), and `q` in the receipt, account number or payer name,
 * or, when `q` reads as a phone number (`qPhone`, normalised), a payment from that number as `phone` matches it.
 */
export type C2bPaymentFilter = {
  readonly from?: Date;
  readonly to?: Date;
  readonly q?: string;
  readonly qPhone?: string;
  /** Only the payment with this M-Pesa receipt. */
  readonly receipt?: string;
  /** Only payments that settled no sale (a payment that paid a sale by its reference shows as that sale). */
  readonly unmatched?: boolean;
  /**
   * Only payments from this normalised number (`2547…`), where Daraja sent it in the clear or as its SHA-256 hex
   * (C2B v1). A masked MSISDN (v2) fits many numbers, so it never matches.
   */
  readonly phone?: string;
};

/** C2B payments, one per M-Pesa receipt. */
export interface C2bPaymentRepository {
  /**
   * Adds the payment unless its receipt is recorded already (by anyone: receipts are unique in M-Pesa). True when
   * added. Concurrent adds of one receipt add it once: the others wait for the first and answer false.
   */
  addIfNew(payment: C2bPayment): Promise<boolean>;
  /** Saves what may change after recording: the matched sale and the flag. */
  update(payment: C2bPayment): Promise<void>;
  findById(id: string): Promise<C2bPayment | null>;
  /** The payment with this receipt, locked until the transaction ends when asked. */
  findByReceipt(receipt: string, options?: { lock?: boolean }): Promise<C2bPayment | null>;
  /** A business's payments, newest first. */
  listByBusiness(businessId: string, filter: C2bPaymentFilter, page: PageRequest): Promise<Page<C2bPayment>>;
  /** How many of a business's payments match, and their sum, over the whole filtered set. */
  totals(businessId: string, filter: C2bPaymentFilter): Promise<{ count: number; amount: number }>;
}

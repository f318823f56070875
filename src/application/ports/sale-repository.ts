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
  /** A business's sales, newest first, optionally of one status. */
  listByBusiness(
    businessId: string,
    filter: { status?: PaymentStatus },
    page: PageRequest,
  ): Promise<Page<Sale>>;
}

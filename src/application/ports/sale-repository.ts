import type { Sale } from "../../domain/sale.ts";
import type { PaymentStatus } from "../../domain/stk-payment.ts";
import type { Page, PageRequest } from "./page.ts";
import type { StkPaymentRepository } from "./stk-payment-repository.ts";

/** Sales of businesses. */
export interface SaleRepository extends StkPaymentRepository<Sale> {
  /** A business's sales, newest first, optionally of one status. */
  /**
   * Claims up to `limit` sales still holding stock whose hold ended at or before `now`, locked, skipping rows
   * other transactions hold.
   */
  claimLapsedHolds(now: Date, limit: number): Promise<Sale[]>;
  listByBusiness(
    businessId: string,
    filter: { status?: PaymentStatus },
    page: PageRequest,
  ): Promise<Page<Sale>>;
}

import type { Page, PageRequest } from "../../application/ports/page.ts";
import { UniqueViolation } from "../../application/ports/repository-errors.ts";
import { SALE_REFERENCE_UNIQUE, type SaleRepository } from "../../application/ports/sale-repository.ts";
import { Sale, type SaleState } from "../../domain/sale.ts";
import type { SaleReference } from "../../domain/sale-reference.ts";
import type { PaymentStatus } from "../../domain/stk-payment.ts";
import { InMemoryStkPaymentRepository } from "./in-memory-stk-payment-repository.ts";
import { pageOf } from "./table-helpers.ts";

export class InMemorySaleRepository
  extends InMemoryStkPaymentRepository<Sale, SaleState>
  implements SaleRepository
{
  protected readonly table = "sales";
  readonly kind = "sale";

  protected rows(): Map<string, SaleState> {
    return this.tables.sales;
  }

  protected restore(row: SaleState): Sale {
    return Sale.restore(row);
  }

  protected toRow(payment: Sale): SaleState {
    return payment.snapshot();
  }

  override async add(sale: Sale): Promise<void> {
    for (const row of this.tables.sales.values()) {
      if (row.id !== sale.id && row.businessId === sale.businessId && row.reference.equals(sale.reference)) {
        throw new UniqueViolation(SALE_REFERENCE_UNIQUE);
      }
    }
    await super.add(sale);
  }

  async findByReference(businessId: string, reference: SaleReference): Promise<Sale | null> {
    for (const row of this.tables.sales.values()) {
      if (row.businessId === businessId && row.reference.equals(reference)) {
        return Sale.restore(row);
      }
    }
    return null;
  }

  async claimLapsedHolds(now: Date, limit: number): Promise<Sale[]> {
    return [...this.tables.sales.values()]
      .filter(
        (row) => row.stockState === "reserved" && row.holdExpiresAt !== null && row.holdExpiresAt <= now,
      )
      .sort((a, b) => (a.holdExpiresAt?.getTime() ?? 0) - (b.holdExpiresAt?.getTime() ?? 0))
      .slice(0, limit)
      .map((row) => Sale.restore(row));
  }

  async listByBusiness(
    businessId: string,
    filter: { status?: PaymentStatus },
    page: PageRequest,
  ): Promise<Page<Sale>> {
    const rows = [...this.tables.sales.values()].filter(
      (row) => row.businessId === businessId && (filter.status === undefined || row.status === filter.status),
    );
    return pageOf(rows, page, Sale.restore);
  }
}

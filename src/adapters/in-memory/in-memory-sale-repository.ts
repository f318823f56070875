import type { Page, PageRequest } from "../../application/ports/page.ts";
import { RecordNotFound, UniqueViolation } from "../../application/ports/repository-errors.ts";
import {
  SALE_REFERENCE_UNIQUE,
  type SaleFilter,
  type SaleRepository,
  type SaleTotals,
} from "../../application/ports/sale-repository.ts";
import { Sale, type SaleState } from "../../domain/sale.ts";
import type { SaleReference } from "../../domain/sale-reference.ts";
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

  async listByBusiness(businessId: string, filter: SaleFilter, page: PageRequest): Promise<Page<Sale>> {
    return pageOf(this.matching(businessId, filter), page, Sale.restore);
  }

  async totals(businessId: string, filter: SaleFilter): Promise<SaleTotals> {
    const rows = this.matching(businessId, filter);
    const paid = rows.filter((row) => row.status === "paid");
    return {
      count: rows.length,
      paidCount: paid.length,
      paidAmount: paid.reduce((sum, row) => sum + row.amount.value, 0),
      refundedAmount: rows.reduce((sum, row) => sum + row.refundedAmount, 0),
    };
  }

  async findByReceiptToken(token: string): Promise<Sale | null> {
    for (const row of this.tables.sales.values()) {
      if (row.receiptToken === token) {
        return Sale.restore(row);
      }
    }
    return null;
  }

  async issueReceiptToken(saleId: string, token: string): Promise<string> {
    const row = this.tables.sales.get(saleId);
    if (row === undefined) {
      throw new RecordNotFound("Sale", saleId);
    }
    if (row.receiptToken !== null) {
      return row.receiptToken;
    }
    this.tables.sales.set(saleId, { ...row, receiptToken: token });
    return token;
  }

  /** The business's sales the filter matches, as the SQL adapter's `where` picks them. */
  private matching(businessId: string, filter: SaleFilter): SaleState[] {
    const q = filter.q?.toLowerCase();
    return [...this.tables.sales.values()].filter(
      (row) =>
        row.businessId === businessId &&
        (filter.status === undefined || row.status === filter.status) &&
        (filter.phone === undefined || row.phone.value === filter.phone) &&
        (filter.receipt === undefined || row.mpesaReceipt === filter.receipt) &&
        (filter.from === undefined || row.createdAt >= filter.from) &&
        (filter.to === undefined || row.createdAt < filter.to) &&
        (q === undefined ||
          row.phone.value === filter.qPhone ||
          [row.reference.value, row.mpesaReceipt, row.phone.value, row.description].some(
            (field) => field?.toLowerCase().includes(q) === true,
          )),
    );
  }
}

import type {
  C2bPaymentFilter,
  C2bPaymentRepository,
} from "../../application/ports/c2b-payment-repository.ts";
import type { Page, PageRequest } from "../../application/ports/page.ts";
import { C2bPayment, type C2bPaymentState } from "../../domain/c2b-payment.ts";
import { msisdnForms } from "../crypto/msisdn-forms.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { insertRow, pageOf, replaceRow } from "./table-helpers.ts";

/** Whether a payment matches a list's filter, as the SQL adapter's `where` does. */
export function matchesC2bFilter(row: C2bPaymentState, filter: C2bPaymentFilter): boolean {
  if (filter.unmatched === true && row.matchedSaleId !== null) {
    return false;
  }
  if (filter.receipt !== undefined && row.receipt !== filter.receipt) {
    return false;
  }
  if (filter.phone !== undefined && !msisdnForms(filter.phone).includes(row.phone)) {
    return false;
  }
  if (filter.from !== undefined && row.paidAt < filter.from) {
    return false;
  }
  if (filter.to !== undefined && row.paidAt >= filter.to) {
    return false;
  }
  if (filter.q !== undefined) {
    const q = filter.q.toLowerCase();
    return (
      [row.receipt, row.accountNumber, row.payerName].some(
        (field) => field?.toLowerCase().includes(q) === true,
      ) ||
      (filter.qPhone !== undefined && msisdnForms(filter.qPhone).includes(row.phone))
    );
  }
  return true;
}

export class InMemoryC2bPaymentRepository implements C2bPaymentRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async addIfNew(payment: C2bPayment): Promise<boolean> {
    const row = payment.snapshot();
    for (const other of this.tables.c2bPayments.values()) {
      if (other.receipt === row.receipt) {
        return false;
      }
    }
    insertRow(this.tables.c2bPayments, row, "c2b_payments");
    return true;
  }

  async update(payment: C2bPayment): Promise<void> {
    replaceRow(this.tables.c2bPayments, payment.snapshot(), "c2b_payments");
  }

  async findById(id: string): Promise<C2bPayment | null> {
    const row = this.tables.c2bPayments.get(id);
    return row === undefined ? null : C2bPayment.restore(row);
  }

  async findByReceipt(receipt: string): Promise<C2bPayment | null> {
    for (const row of this.tables.c2bPayments.values()) {
      if (row.receipt === receipt) {
        return C2bPayment.restore(row);
      }
    }
    return null;
  }

  async listByBusiness(
    businessId: string,
    filter: C2bPaymentFilter,
    page: PageRequest,
  ): Promise<Page<C2bPayment>> {
    return pageOf(this.matching(businessId, filter), page, C2bPayment.restore);
  }

  async totals(businessId: string, filter: C2bPaymentFilter): Promise<{ count: number; amount: number }> {
    const rows = this.matching(businessId, filter);
    return { count: rows.length, amount: rows.reduce((sum, row) => sum + row.amount.value, 0) };
  }

  private matching(businessId: string, filter: C2bPaymentFilter): C2bPaymentState[] {
    return [...this.tables.c2bPayments.values()].filter(
      (row) => row.businessId === businessId && matchesC2bFilter(row, filter),
    );
  }
}

import type { InvalidInput } from "../../domain/invalid-value.ts";
import { ok, type Result } from "../../domain/result.ts";
import type { SaleFilter, SaleTotals } from "../ports/sale-repository.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";
import { c2bFilterFor, type MoneyInEntry, newerFirst } from "./money-in.ts";

/**
 * Where one list of a money-in page starts: at the top (null), after an id (the last the previous page showed),
 * or nowhere, once the list has ended (ENDED).
 */
export type ListPosition = string | null;
export const ENDED = "end";

/** Where a page of money in starts, for its sales and for its C2B payments. */
export type MoneyInCursor = { readonly sale: ListPosition; readonly c2b: ListPosition };

export type MoneyInPage = {
  readonly entries: readonly MoneyInEntry[];
  /** Null at the end. */
  readonly next: MoneyInCursor | null;
  /** Over the whole filtered set: sales, and C2B payments that settled no sale (counted as paid). */
  readonly totals: SaleTotals;
};

/**
 * One page of a business's money in, newest first: its sales, and the C2B payments that settled no sale, merged
 * by time. Each list keeps its own cursor, so that paging never skips or repeats an entry.
 */
export class ListMoneyIn {
  constructor(private readonly deps: { readonly uow: UnitOfWork<"businesses" | "sales" | "c2bPayments"> }) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly filter: SaleFilter;
    readonly limit: number;
    readonly cursor: MoneyInCursor;
  }): Promise<Result<MoneyInPage, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.read(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      const id = business.value.id;
      const c2bFilter = c2bFilterFor(input.filter);
      // A list whose cursor is spent (it ended on an earlier page) is not read again.
      const salesDone = input.cursor.sale === "";
      const sales = salesDone
        ? { items: [], nextCursor: null }
        : await r.sales.listByBusiness(id, input.filter, { limit: input.limit, cursor: input.cursor.sale });
      const c2bDone = c2bFilter === null || input.cursor.c2b === ENDED;
      const payments = c2bDone
        ? { items: [], nextCursor: null }
        : await r.c2bPayments.listByBusiness(id, c2bFilter, { limit: input.limit, cursor: input.cursor.c2b });
      const all: MoneyInEntry[] = [
        ...sales.items.map((sale) => ({ kind: "sale" as const, id: sale.id, sale })),
        ...payments.items.map((payment) => ({ kind: "c2b" as const, id: payment.id, payment })),
      ].sort(newerFirst);
      const entries = all.slice(0, input.limit);
      const shownSales = entries.filter((e) => e.kind === "sale");
      const shownC2b = entries.filter((e) => e.kind === "c2b");
      const saleLeft = shownSales.length < sales.items.length || sales.nextCursor !== null;
      const c2bLeft = shownC2b.length < payments.items.length || payments.nextCursor !== null;
      const next =
        saleLeft || c2bLeft
          ? {
              sale: saleLeft ? (shownSales.at(-1)?.id ?? input.cursor.sale) : ENDED,
              c2b: c2bLeft ? (shownC2b.at(-1)?.id ?? input.cursor.c2b) : ENDED,
            }
          : null;
      const saleTotals = await r.sales.totals(id, input.filter);
      const c2bTotals =
        c2bFilter === null ? { count: 0, amount: 0 } : await r.c2bPayments.totals(id, c2bFilter);
      return ok({
        entries,
        next,
        totals: {
          count: saleTotals.count + c2bTotals.count,
          paidCount: saleTotals.paidCount + c2bTotals.count,
          paidAmount: saleTotals.paidAmount + c2bTotals.amount,
          refundedAmount: saleTotals.refundedAmount,
        },
      });
    });
  }
}

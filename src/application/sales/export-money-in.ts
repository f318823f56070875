import type { InvalidInput } from "../../domain/invalid-value.ts";
import { ok, type Result } from "../../domain/result.ts";
import type { Page, PageRequest } from "../ports/page.ts";
import { MAX_PAGE_LIMIT } from "../ports/page.ts";
import type { SaleFilter } from "../ports/sale-repository.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import type { Access } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";
import { c2bFilterFor, type MoneyInEntry } from "./money-in.ts";

type Uow = UnitOfWork<"businesses" | "sales" | "c2bPayments">;

/** Every item of a paged list, one page (and one short read) at a time. */
async function* everyItem<T>(fetch: (page: PageRequest) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | null = null;
  do {
    const page: Page<T> = await fetch({ limit: MAX_PAGE_LIMIT, cursor });
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor !== null);
}

/** Two newest-first streams as one, newest first. */
async function* merged(
  a: AsyncGenerator<MoneyInEntry>,
  b: AsyncGenerator<MoneyInEntry>,
): AsyncGenerator<MoneyInEntry> {
  let [left, right] = await Promise.all([a.next(), b.next()]);
  while (!left.done || !right.done) {
    if (right.done || (!left.done && left.value.id > right.value.id)) {
      yield left.value as MoneyInEntry;
      left = await a.next();
    } else {
      yield right.value;
      right = await b.next();
    }
  }
}

/**
 * All of a business's money in that a filter matches, newest first, for an export: sales, and C2B payments that
 * settled no sale. It is read a page at a time, each page in its own short read, so that a year of sales never
 * sits in memory and no transaction stays open while the caller writes it out.
 */
export class ExportMoneyIn {
  constructor(private readonly deps: { readonly uow: Uow }) {}

  async execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly filter: SaleFilter;
  }): Promise<Result<AsyncGenerator<MoneyInEntry>, NotFound | Forbidden | InvalidInput>> {
    const business = await this.deps.uow.read((r) => accessibleBusiness(r, input.access, input.businessId));
    if (!business.ok) {
      return business;
    }
    const businessId = business.value.id;
    const uow = this.deps.uow;
    const sales = async function* () {
      for await (const sale of everyItem((page) =>
        uow.read((r) => r.sales.listByBusiness(businessId, input.filter, page)),
      )) {
        yield { kind: "sale", id: sale.id, sale } as const;
      }
    };
    const c2bFilter = c2bFilterFor(input.filter);
    const c2b = async function* () {
      if (c2bFilter === null) {
        return;
      }
      for await (const payment of everyItem((page) =>
        uow.read((r) => r.c2bPayments.listByBusiness(businessId, c2bFilter, page)),
      )) {
        yield { kind: "c2b", id: payment.id, payment } as const;
      }
    };
    return ok(merged(sales(), c2b()));
  }
}

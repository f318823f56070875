import { raw, type SqlEntityManager } from "@mikro-orm/postgresql";
import type {
  C2bPaymentFilter,
  C2bPaymentRepository,
} from "../../../application/ports/c2b-payment-repository.ts";
import type { Page, PageRequest } from "../../../application/ports/page.ts";
import type { C2bPayment } from "../../../domain/c2b-payment.ts";
import { msisdnForms } from "../../crypto/msisdn-forms.ts";
import { C2bPaymentSchema, c2bPaymentToDomain, c2bPaymentToRow } from "../rows/c2b-payment-row.ts";
import { canBeId, PAGE_ORDER, pageWhere, READ, toPage } from "./mikro-orm-support.ts";
import { insertRowIfAbsent, selectRow, updateById } from "./row-sql.ts";

/** `like` with the filter's text taken literally. */
const contains = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function filterWhere(businessId: string, filter: C2bPaymentFilter) {
  return {
    businessId,
    ...(filter.unmatched === true ? { matchedSaleId: null } : {}),
    ...(filter.receipt === undefined ? {} : { receipt: filter.receipt }),
    ...(filter.phone === undefined ? {} : { phone: { $in: msisdnForms(filter.phone) } }),
    ...(filter.from === undefined && filter.to === undefined
      ? {}
      : {
          paidAt: {
            ...(filter.from === undefined ? {} : { $gte: filter.from }),
            ...(filter.to === undefined ? {} : { $lt: filter.to }),
          },
        }),
    ...(filter.q === undefined
      ? {}
      : {
          $or: [
            { receipt: { $ilike: contains(filter.q) } },
            { accountNumber: { $ilike: contains(filter.q) } },
            { payerName: { $ilike: contains(filter.q) } },
            ...(filter.qPhone === undefined ? [] : [{ phone: { $in: msisdnForms(filter.qPhone) } }]),
          ],
        }),
  };
}

export class MikroOrmC2bPaymentRepository implements C2bPaymentRepository {
  constructor(private readonly em: SqlEntityManager) {}

  addIfNew(payment: C2bPayment): Promise<boolean> {
    return insertRowIfAbsent(this.em, C2bPaymentSchema, c2bPaymentToRow(payment), ["receipt"]);
  }

  async update(payment: C2bPayment): Promise<void> {
    await updateById(this.em, C2bPaymentSchema, c2bPaymentToRow(payment));
  }

  async findById(id: string): Promise<C2bPayment | null> {
    if (!canBeId(id)) {
      return null;
    }
    const row = await selectRow(this.em, C2bPaymentSchema, { id });
    return row === null ? null : c2bPaymentToDomain(row);
  }

  async findByReceipt(receipt: string, options?: { lock?: boolean }): Promise<C2bPayment | null> {
    const row = await selectRow(this.em, C2bPaymentSchema, { receipt }, options);
    return row === null ? null : c2bPaymentToDomain(row);
  }

  async listByBusiness(
    businessId: string,
    filter: C2bPaymentFilter,
    page: PageRequest,
  ): Promise<Page<C2bPayment>> {
    const rows = await this.em.find(
      C2bPaymentSchema,
      { ...filterWhere(businessId, filter), ...pageWhere(page) },
      { ...READ, ...PAGE_ORDER, limit: page.limit + 1 },
    );
    return toPage(rows, page, c2bPaymentToDomain);
  }

  async totals(businessId: string, filter: C2bPaymentFilter): Promise<{ count: number; amount: number }> {
    const [row] = await this.em
      .createQueryBuilder(C2bPaymentSchema)
      .select([raw("count(*) as count"), raw("coalesce(sum(amount), 0) as amount")] as never)
      .where(filterWhere(businessId, filter) as never)
      .execute<{ count: string | number; amount: string | number }[]>("all", false);
    return { count: Number(row?.count ?? 0), amount: Number(row?.amount ?? 0) };
  }
}

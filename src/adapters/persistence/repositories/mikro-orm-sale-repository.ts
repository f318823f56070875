import { LockMode } from "@mikro-orm/core";
import { raw, type SqlEntityManager } from "@mikro-orm/postgresql";
import type { Page, PageRequest } from "../../../application/ports/page.ts";
import { RecordNotFound } from "../../../application/ports/repository-errors.ts";
import type { SaleFilter, SaleRepository, SaleTotals } from "../../../application/ports/sale-repository.ts";
import type { Sale } from "../../../domain/sale.ts";
import type { SaleReference } from "../../../domain/sale-reference.ts";
import { type SaleRow, SaleSchema, saleToDomain, saleToRow } from "../rows/sale-row.ts";
import { MikroOrmStkPaymentRepository } from "./mikro-orm-stk-payment-repository.ts";
import { containing, PAGE_ORDER, pageWhere, READ, toPage } from "./mikro-orm-support.ts";
import { selectRow } from "./row-sql.ts";

function filterWhere(businessId: string, filter: SaleFilter) {
  const created =
    filter.from === undefined && filter.to === undefined
      ? {}
      : {
          createdAt: {
            ...(filter.from === undefined ? {} : { $gte: filter.from }),
            ...(filter.to === undefined ? {} : { $lt: filter.to }),
          },
        };
  const q =
    filter.q === undefined
      ? {}
      : {
          $or: [
            { reference: { $ilike: containing(filter.q) } },
            { mpesaReceipt: { $ilike: containing(filter.q) } },
            { phone: { $ilike: containing(filter.q) } },
            { description: { $ilike: containing(filter.q) } },
            ...(filter.qPhone === undefined ? [] : [{ phone: filter.qPhone }]),
          ],
        };
  return {
    businessId,
    ...(filter.status === undefined ? {} : { status: filter.status }),
    ...(filter.phone === undefined ? {} : { phone: filter.phone }),
    ...(filter.receipt === undefined ? {} : { mpesaReceipt: filter.receipt }),
    ...created,
    ...q,
  };
}

export class MikroOrmSaleRepository
  extends MikroOrmStkPaymentRepository<Sale, SaleRow>
  implements SaleRepository
{
  constructor(em: SqlEntityManager) {
    super(em, SaleSchema, saleToRow, saleToDomain, "sale");
  }

  async findByReference(
    businessId: string,
    reference: SaleReference,
    options?: { lock?: boolean },
  ): Promise<Sale | null> {
    const row = await selectRow(this.em, SaleSchema, { businessId, reference: reference.value }, options);
    return row === null ? null : this.loaded(row);
  }

  async claimLapsedHolds(now: Date, limit: number): Promise<Sale[]> {
    const rows = await this.em.find(
      SaleSchema,
      { stockState: "reserved", holdExpiresAt: { $lte: now } },
      { ...READ, orderBy: { holdExpiresAt: "asc" }, limit, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
    );
    return rows.map(saleToDomain);
  }

  async listByBusiness(businessId: string, filter: SaleFilter, page: PageRequest): Promise<Page<Sale>> {
    const rows = await this.em.find(
      SaleSchema,
      { ...filterWhere(businessId, filter), ...pageWhere(page) },
      { ...READ, ...PAGE_ORDER, limit: page.limit + 1 },
    );
    return toPage(rows, page, saleToDomain);
  }

  async totals(businessId: string, filter: SaleFilter): Promise<SaleTotals> {
    const [row] = await this.em
      .createQueryBuilder(SaleSchema)
      .select([
        raw("count(*) as count"),
        raw("count(*) filter (where status = 'paid') as paid_count"),
        raw("coalesce(sum(amount) filter (where status = 'paid'), 0) as paid_amount"),
        raw("coalesce(sum(refunded_amount), 0) as refunded_amount"),
      ] as never)
      .where(filterWhere(businessId, filter) as never)
      .execute<Record<"count" | "paid_count" | "paid_amount" | "refunded_amount", string | number>[]>(
        "all",
        false,
      );
    return {
      count: Number(row?.count ?? 0),
      paidCount: Number(row?.paid_count ?? 0),
      paidAmount: Number(row?.paid_amount ?? 0),
      refundedAmount: Number(row?.refunded_amount ?? 0),
    };
  }

  async findByReceiptToken(token: string): Promise<Sale | null> {
    const row = await selectRow(this.em, SaleSchema, { receiptToken: token });
    return row === null ? null : this.loaded(row);
  }

  async issueReceiptToken(saleId: string, token: string): Promise<string> {
    await this.em.execute(
      `update "sales" set "receipt_token" = ? where "id" = ? and "receipt_token" is null`,
      [token, saleId],
      "run",
    );
    const [row] = await this.em.execute<{ receipt_token: string | null }[]>(
      `select "receipt_token" from "sales" where "id" = ?`,
      [saleId],
      "all",
    );
    if (row?.receipt_token == null) {
      throw new RecordNotFound("SaleRow", saleId);
    }
    return row.receipt_token;
  }
}

import { LockMode } from "@mikro-orm/core";
import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { Page, PageRequest } from "../../../application/ports/page.ts";
import type { SaleRepository } from "../../../application/ports/sale-repository.ts";
import type { Sale } from "../../../domain/sale.ts";
import type { SaleReference } from "../../../domain/sale-reference.ts";
import type { PaymentStatus } from "../../../domain/stk-payment.ts";
import { type SaleRow, SaleSchema, saleToDomain, saleToRow } from "../rows/sale-row.ts";
import { MikroOrmStkPaymentRepository } from "./mikro-orm-stk-payment-repository.ts";
import { PAGE_ORDER, pageWhere, READ, toPage } from "./mikro-orm-support.ts";
import { selectRow } from "./row-sql.ts";
import type { SettlementBatch } from "./settlement-batch.ts";

export class MikroOrmSaleRepository
  extends MikroOrmStkPaymentRepository<Sale, SaleRow>
  implements SaleRepository
{
  constructor(em: SqlEntityManager, batch?: SettlementBatch) {
    super(em, SaleSchema, saleToRow, saleToDomain, "sale", batch);
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

  async listByBusiness(
    businessId: string,
    filter: { status?: PaymentStatus },
    page: PageRequest,
  ): Promise<Page<Sale>> {
    const rows = await this.em.find(
      SaleSchema,
      { businessId, ...(filter.status === undefined ? {} : { status: filter.status }), ...pageWhere(page) },
      { ...READ, ...PAGE_ORDER, limit: page.limit + 1 },
    );
    return toPage(rows, page, saleToDomain);
  }
}

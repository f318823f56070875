import { LockMode } from "@mikro-orm/core";
import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type {
  RefundRepository,
  RefundStatusQueryCriteria,
} from "../../../application/ports/refund-repository.ts";
import type { Refund } from "../../../domain/refund.ts";
import { type RefundRow, RefundSchema, refundToDomain, refundToRow } from "../rows/refund-row.ts";
import { canBeId, READ, readOptions, writing } from "./mikro-orm-support.ts";
import { updateById } from "./row-sql.ts";

export class MikroOrmRefundRepository implements RefundRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async lockReceipt(businessId: string, receipt: string): Promise<void> {
    // Created on first use; a concurrent first use waits on the other's insert and then takes the lock in turn.
    await this.em.execute(
      `insert into "refund_receipts" ("business_id", "receipt") values (?, ?) on conflict do nothing`,
      [businessId, receipt],
    );
    await this.em.execute(
      `select 1 from "refund_receipts" where "business_id" = ? and "receipt" = ? for update`,
      [businessId, receipt],
    );
  }

  async sumHeldByReceipt(businessId: string, receipt: string): Promise<number> {
    const [row] = await this.em.execute<{ total: string | number | bigint }[]>(
      `select coalesce(sum("amount"), 0)::bigint as "total" from "refunds"
        where "business_id" = ? and "original_receipt" = ? and "status" in ('pending', 'completed')`,
      [businessId, receipt],
    );
    return Number(row?.total ?? 0);
  }

  async add(refund: Refund): Promise<void> {
    await writing(() => this.em.insert(RefundSchema, refundToRow(refund)));
  }

  async update(refund: Refund): Promise<void> {
    await updateById(this.em, RefundSchema, refundToRow(refund));
  }

  findById(id: string, options?: { lock?: boolean }): Promise<Refund | null> {
    return canBeId(id) ? this.findOneWhere({ id }, options) : Promise.resolve(null);
  }

  findByPayoutId(payoutId: string, options?: { lock?: boolean }): Promise<Refund | null> {
    return this.findOneWhere({ payoutId }, options);
  }

  findByCallbackTokenHash(hash: string, options?: { lock?: boolean }): Promise<Refund | null> {
    return this.findOneWhere({ callbackTokenHash: hash }, options);
  }

  findByStatusTokenHash(hash: string, options?: { lock?: boolean }): Promise<Refund | null> {
    return this.findOneWhere({ statusTokenHash: hash }, options);
  }

  async listByReceipt(businessId: string, receipt: string): Promise<Refund[]> {
    const rows = await this.em.find(
      RefundSchema,
      { businessId, originalReceipt: receipt },
      { ...READ, orderBy: { id: "desc" }, limit: 100 },
    );
    return rows.map(refundToDomain);
  }

  async claimForStatusQuery(criteria: RefundStatusQueryCriteria): Promise<Refund[]> {
    const { createdBefore, createdAfter, queriedBefore, limit } = criteria;
    const rows = await this.em.find(
      RefundSchema,
      {
        status: "pending",
        method: "reversal",
        createdAt: { $gt: createdAfter },
        $and: [
          { $or: [{ createdAt: { $lte: createdBefore } }, { queueTimedOutAt: { $ne: null } }] },
          { $or: [{ statusQueriedAt: null }, { statusQueriedAt: { $lte: queriedBefore } }] },
        ],
      },
      {
        ...READ,
        orderBy: { createdAt: "asc", id: "asc" },
        limit,
        lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE,
      },
    );
    return rows.map(refundToDomain);
  }

  private async findOneWhere(
    where: Partial<RefundRow>,
    options?: { lock?: boolean },
  ): Promise<Refund | null> {
    const row = await this.em.findOne(RefundSchema, where, readOptions(options));
    return row === null ? null : refundToDomain(row);
  }
}

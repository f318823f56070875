import { LockMode } from "@mikro-orm/core";
import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { Page, PageRequest } from "../../../application/ports/page.ts";
import type {
  PayoutFilter,
  PayoutRepository,
  StatusQueryCriteria,
} from "../../../application/ports/payout-repository.ts";
import type { Payout } from "../../../domain/payout.ts";
import { type PayoutRow, PayoutSchema, payoutToDomain, payoutToRow } from "../rows/payout-row.ts";
import { PAGE_ORDER, pageWhere, READ, readOptions, toPage, writing } from "./mikro-orm-support.ts";
import { updateById } from "./row-sql.ts";

export class MikroOrmPayoutRepository implements PayoutRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async add(payout: Payout): Promise<void> {
    await writing(() => this.em.insert(PayoutSchema, payoutToRow(payout)));
  }

  async update(payout: Payout): Promise<void> {
    await updateById(this.em, PayoutSchema, payoutToRow(payout));
  }

  findById(id: string, options?: { lock?: boolean }): Promise<Payout | null> {
    return this.findOneWhere({ id }, options);
  }

  findByCallbackTokenHash(hash: string, options?: { lock?: boolean }): Promise<Payout | null> {
    return this.findOneWhere({ callbackTokenHash: hash }, options);
  }

  findByStatusTokenHash(hash: string, options?: { lock?: boolean }): Promise<Payout | null> {
    return this.findOneWhere({ statusTokenHash: hash }, options);
  }

  findByOriginatorConversationId(id: string, options?: { lock?: boolean }): Promise<Payout | null> {
    return this.findOneWhere({ originatorConversationId: id }, options);
  }

  async claimForStatusQuery(criteria: StatusQueryCriteria): Promise<Payout[]> {
    const { createdBefore, createdAfter, queriedBefore, limit } = criteria;
    const rows = await this.em.find(
      PayoutSchema,
      {
        status: "pending",
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
        // FOR UPDATE SKIP LOCKED: rows another reconciler holds are passed over, not waited for.
        lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE,
      },
    );
    return rows.map(payoutToDomain);
  }

  async listByBusiness(businessId: string, filter: PayoutFilter, page: PageRequest): Promise<Page<Payout>> {
    const createdAt = {
      ...(filter.createdFrom === undefined ? {} : { $gte: filter.createdFrom }),
      ...(filter.createdBefore === undefined ? {} : { $lt: filter.createdBefore }),
    };
    const rows = await this.em.find(
      PayoutSchema,
      {
        businessId,
        ...(filter.status === undefined ? {} : { status: filter.status }),
        ...(Object.keys(createdAt).length === 0 ? {} : { createdAt }),
        ...pageWhere(page),
      },
      { ...READ, ...PAGE_ORDER, limit: page.limit + 1 },
    );
    return toPage(rows, page, payoutToDomain);
  }

  async sumPendingAndCompletedSince(businessId: string, since: Date): Promise<number> {
    const [row] = await this.em.execute<{ total: string | number | bigint }[]>(
      `select coalesce(sum("amount"), 0)::bigint as "total" from "payouts"
        where "business_id" = ? and "status" in ('pending', 'completed') and "created_at" >= ?`,
      [businessId, since],
    );
    return Number(row?.total ?? 0);
  }

  private async findOneWhere(
    where: Partial<PayoutRow>,
    options?: { lock?: boolean },
  ): Promise<Payout | null> {
    const row = await this.em.findOne(PayoutSchema, where, readOptions(options));
    return row === null ? null : payoutToDomain(row);
  }
}

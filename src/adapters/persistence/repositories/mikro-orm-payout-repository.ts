import { LockMode } from "@mikro-orm/core";
import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { PayoutRepository, StatusQueryCriteria } from "../../../application/ports/payout-repository.ts";
import type { Payout } from "../../../domain/payout.ts";
import { type PayoutRow, PayoutSchema, payoutToDomain, payoutToRow } from "../rows/payout-row.ts";
import { READ, readOptions, writing } from "./mikro-orm-support.ts";
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

  private async findOneWhere(
    where: Partial<PayoutRow>,
    options?: { lock?: boolean },
  ): Promise<Payout | null> {
    const row = await this.em.findOne(PayoutSchema, where, readOptions(options));
    return row === null ? null : payoutToDomain(row);
  }
}

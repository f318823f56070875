import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { PayoutRepository } from "../../../application/ports/payout-repository.ts";
import type { Payout } from "../../../domain/payout.ts";
import { type PayoutRow, PayoutSchema, payoutToDomain, payoutToRow } from "../rows/payout-row.ts";
import { readOptions, updateById, writing } from "./mikro-orm-support.ts";

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

  findByOriginatorConversationId(id: string, options?: { lock?: boolean }): Promise<Payout | null> {
    return this.findOneWhere({ originatorConversationId: id }, options);
  }

  private async findOneWhere(
    where: Partial<PayoutRow>,
    options?: { lock?: boolean },
  ): Promise<Payout | null> {
    const row = await this.em.findOne(PayoutSchema, where, readOptions(options));
    return row === null ? null : payoutToDomain(row);
  }
}

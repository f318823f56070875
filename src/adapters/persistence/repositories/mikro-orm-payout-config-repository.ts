import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { PayoutConfigRepository } from "../../../application/ports/payout-config-repository.ts";
import type { PayoutConfig } from "../../../domain/payout-config.ts";
import type { SealedSecret } from "../../../domain/sealed-secret.ts";
import { PayoutConfigSchema, payoutConfigToDomain, payoutConfigToRow } from "../rows/payout-config-row.ts";
import { READ, writing } from "./mikro-orm-support.ts";
import { updateById } from "./row-sql.ts";

export class MikroOrmPayoutConfigRepository implements PayoutConfigRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async add(config: PayoutConfig): Promise<void> {
    await writing(() => this.em.insert(PayoutConfigSchema, payoutConfigToRow(config)));
  }

  async update(config: PayoutConfig): Promise<void> {
    await updateById(this.em, PayoutConfigSchema, payoutConfigToRow(config));
  }

  async findById(id: string): Promise<PayoutConfig | null> {
    const row = await this.em.findOne(PayoutConfigSchema, { id }, READ);
    return row === null ? null : payoutConfigToDomain(row);
  }

  async findActiveByBusiness(businessId: string): Promise<PayoutConfig | null> {
    const row = await this.em.findOne(PayoutConfigSchema, { businessId, isActive: true }, READ);
    return row === null ? null : payoutConfigToDomain(row);
  }

  async listAfter(afterId: string | null, limit: number): Promise<PayoutConfig[]> {
    const rows = await this.em.find(PayoutConfigSchema, afterId === null ? {} : { id: { $gt: afterId } }, {
      ...READ,
      orderBy: { id: "asc" },
      limit,
    });
    return rows.map(payoutConfigToDomain);
  }

  async replaceSecrets(
    id: string,
    initiatorPassword: SealedSecret,
    consumerSecret: SealedSecret | null,
  ): Promise<void> {
    await this.em.nativeUpdate(
      PayoutConfigSchema,
      { id },
      consumerSecret === null
        ? { initiatorPasswordSealed: initiatorPassword }
        : { initiatorPasswordSealed: initiatorPassword, consumerSecretSealed: consumerSecret },
    );
  }
}

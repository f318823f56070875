import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { PayoutConfigRepository } from "../../../application/ports/payout-config-repository.ts";
import { RecordNotFound } from "../../../application/ports/repository-errors.ts";
import type { PayoutConfig } from "../../../domain/payout-config.ts";
import type { SealedSecret } from "../../../domain/sealed-secret.ts";
import { PayoutConfigSchema, payoutConfigToDomain, payoutConfigToRow } from "../rows/payout-config-row.ts";
import { READ, readOptions, writing } from "./mikro-orm-support.ts";

export class MikroOrmPayoutConfigRepository implements PayoutConfigRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async add(config: PayoutConfig): Promise<void> {
    await writing(() => this.em.insert(PayoutConfigSchema, payoutConfigToRow(config)));
  }

  async update(config: PayoutConfig): Promise<void> {
    const row = payoutConfigToRow(config);
    const updated = await writing(() =>
      this.em.nativeUpdate(
        PayoutConfigSchema,
        { id: row.id },
        { isActive: row.isActive, dailyLimit: row.dailyLimit, perPayoutLimit: row.perPayoutLimit },
      ),
    );
    if (updated === 0) {
      throw new RecordNotFound("PayoutConfig", row.id);
    }
  }

  async findById(id: string): Promise<PayoutConfig | null> {
    const row = await this.em.findOne(PayoutConfigSchema, { id }, READ);
    return row === null ? null : payoutConfigToDomain(row);
  }

  async findActiveByBusiness(businessId: string, options?: { lock?: boolean }): Promise<PayoutConfig | null> {
    // A setup may deactivate the row this waits to lock; PostgreSQL then skips it, and the config that replaced it
    // was not there when the statement began. A new statement sees it: ask once more.
    for (let attempt = 0; ; attempt += 1) {
      const row = await this.em.findOne(
        PayoutConfigSchema,
        { businessId, isActive: true },
        readOptions(options),
      );
      if (row !== null || options?.lock !== true || attempt === 1) {
        return row === null ? null : payoutConfigToDomain(row);
      }
    }
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

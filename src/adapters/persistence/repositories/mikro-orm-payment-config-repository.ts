import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { PaymentConfigRepository } from "../../../application/ports/payment-config-repository.ts";
import type { PaymentConfig } from "../../../domain/payment-config.ts";
import type { SealedSecret } from "../../../domain/sealed-secret.ts";
import {
  PaymentConfigSchema,
  paymentConfigToDomain,
  paymentConfigToRow,
} from "../rows/payment-config-row.ts";
import { READ, writing } from "./mikro-orm-support.ts";
import { selectRow, updateById } from "./row-sql.ts";
import type { SettlementBatch } from "./settlement-batch.ts";

export class MikroOrmPaymentConfigRepository implements PaymentConfigRepository {
  constructor(
    private readonly em: SqlEntityManager,
    /** A group commit's batch: a config its settlements verify is marked once. */
    private readonly batch?: SettlementBatch,
  ) {}

  async add(config: PaymentConfig): Promise<void> {
    await writing(() => this.em.insert(PaymentConfigSchema, paymentConfigToRow(config)));
  }

  async update(config: PaymentConfig): Promise<void> {
    await updateById(this.em, PaymentConfigSchema, paymentConfigToRow(config));
  }

  async markVerified(id: string): Promise<boolean> {
    // Marked once in a transaction: a second call there finds it verified already, and would change nothing.
    if (this.batch !== undefined && !this.batch.firstTime(`verified:${id}`)) {
      return false;
    }
    return (await this.em.nativeUpdate(PaymentConfigSchema, { id, verified: false }, { verified: true })) > 0;
  }

  async listAfter(afterId: string | null, limit: number): Promise<PaymentConfig[]> {
    const rows = await this.em.find(PaymentConfigSchema, afterId === null ? {} : { id: { $gt: afterId } }, {
      ...READ,
      orderBy: { id: "asc" },
      limit,
    });
    return rows.map(paymentConfigToDomain);
  }

  async replaceSecrets(
    id: string,
    passkey: SealedSecret,
    consumerSecret: SealedSecret | null,
  ): Promise<void> {
    await this.em.nativeUpdate(
      PaymentConfigSchema,
      { id },
      consumerSecret === null
        ? { passkeySealed: passkey }
        : { passkeySealed: passkey, consumerSecretSealed: consumerSecret },
    );
  }

  async replaceInitiatorSecret(id: string, password: SealedSecret): Promise<void> {
    await this.em.nativeUpdate(PaymentConfigSchema, { id }, { initiatorPasswordSealed: password });
  }

  async findById(id: string): Promise<PaymentConfig | null> {
    const row = await this.em.findOne(PaymentConfigSchema, { id }, READ);
    return row === null ? null : paymentConfigToDomain(row);
  }

  async findActiveByBusiness(businessId: string): Promise<PaymentConfig | null> {
    const row = await selectRow(this.em, PaymentConfigSchema, { businessId, isActive: true });
    return row === null ? null : paymentConfigToDomain(row);
  }

  async businessesWithActiveConfig(businessIds: readonly string[]): Promise<Set<string>> {
    if (businessIds.length === 0) {
      return new Set();
    }
    const rows = await this.em.find(
      PaymentConfigSchema,
      { businessId: { $in: [...businessIds] }, isActive: true },
      { ...READ, fields: ["businessId"] },
    );
    return new Set(rows.map((row) => row.businessId));
  }
}

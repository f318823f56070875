import type { PaymentConfigRepository } from "../../application/ports/payment-config-repository.ts";
import { UniqueViolation } from "../../application/ports/repository-errors.ts";
import { PaymentConfig, type PaymentConfigState } from "../../domain/payment-config.ts";
import type { SealedSecret } from "../../domain/sealed-secret.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { insertRow, replaceRow } from "./table-helpers.ts";

export class InMemoryPaymentConfigRepository implements PaymentConfigRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async add(config: PaymentConfig): Promise<void> {
    const row = config.snapshot();
    this.assertOneActive(row);
    insertRow(this.tables.paymentConfigs, row, "payment_configs");
  }

  async update(config: PaymentConfig): Promise<void> {
    const row = config.snapshot();
    this.assertOneActive(row);
    replaceRow(this.tables.paymentConfigs, row, "PaymentConfig");
  }

  async markVerified(id: string): Promise<boolean> {
    const row = this.tables.paymentConfigs.get(id);
    if (row === undefined || row.verified) {
      return false;
    }
    this.tables.paymentConfigs.set(id, { ...row, verified: true });
    return true;
  }

  async listAfter(afterId: string | null, limit: number): Promise<PaymentConfig[]> {
    return [...this.tables.paymentConfigs.values()]
      .filter((row) => afterId === null || row.id > afterId)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((row) => PaymentConfig.restore(row));
  }

  async replaceSecrets(
    id: string,
    passkey: SealedSecret,
    consumerSecret: SealedSecret | null,
  ): Promise<void> {
    const row = this.tables.paymentConfigs.get(id);
    if (row !== undefined) {
      const ownApp =
        row.ownApp === null || consumerSecret === null ? row.ownApp : { ...row.ownApp, consumerSecret };
      this.tables.paymentConfigs.set(id, { ...row, passkey, ownApp });
    }
  }

  async replaceInitiatorSecret(id: string, password: SealedSecret): Promise<void> {
    const row = this.tables.paymentConfigs.get(id);
    if (row?.initiator !== undefined && row.initiator !== null) {
      this.tables.paymentConfigs.set(id, { ...row, initiator: { ...row.initiator, password } });
    }
  }

  async findById(id: string): Promise<PaymentConfig | null> {
    const row = this.tables.paymentConfigs.get(id);
    return row === undefined ? null : PaymentConfig.restore(row);
  }

  async findActiveByBusiness(businessId: string): Promise<PaymentConfig | null> {
    for (const row of this.tables.paymentConfigs.values()) {
      if (row.businessId === businessId && row.active) {
        return PaymentConfig.restore(row);
      }
    }
    return null;
  }

  async businessesWithActiveConfig(businessIds: readonly string[]): Promise<Set<string>> {
    const wanted = new Set(businessIds);
    const found = new Set<string>();
    for (const row of this.tables.paymentConfigs.values()) {
      if (row.active && wanted.has(row.businessId)) {
        found.add(row.businessId);
      }
    }
    return found;
  }

  /** The partial unique index: one active config per business. */
  private assertOneActive(row: PaymentConfigState): void {
    if (!row.active) {
      return;
    }
    for (const other of this.tables.paymentConfigs.values()) {
      if (other.id !== row.id && other.businessId === row.businessId && other.active) {
        throw new UniqueViolation("payment_configs_one_active_per_business");
      }
    }
  }
}

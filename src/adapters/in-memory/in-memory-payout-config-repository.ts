import type { PayoutConfigRepository } from "../../application/ports/payout-config-repository.ts";
import { UniqueViolation } from "../../application/ports/repository-errors.ts";
import { PayoutConfig, type PayoutConfigState } from "../../domain/payout-config.ts";
import type { SealedSecret } from "../../domain/sealed-secret.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { insertRow, replaceRow } from "./table-helpers.ts";

export class InMemoryPayoutConfigRepository implements PayoutConfigRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async add(config: PayoutConfig): Promise<void> {
    const row = config.snapshot();
    this.assertOneActive(row);
    insertRow(this.tables.payoutConfigs, row, "payout_configs");
  }

  async update(config: PayoutConfig): Promise<void> {
    const changed = config.snapshot();
    const stored = this.tables.payoutConfigs.get(changed.id);
    // Only what can change: the secrets stay as stored (a key rotation may have re-sealed them).
    const row =
      stored === undefined ? changed : { ...stored, active: changed.active, limits: changed.limits };
    this.assertOneActive(row);
    replaceRow(this.tables.payoutConfigs, row, "PayoutConfig");
  }

  async findById(id: string): Promise<PayoutConfig | null> {
    const row = this.tables.payoutConfigs.get(id);
    return row === undefined ? null : PayoutConfig.restore(row);
  }

  async findActiveByBusiness(businessId: string): Promise<PayoutConfig | null> {
    for (const row of this.tables.payoutConfigs.values()) {
      if (row.businessId === businessId && row.active) {
        return PayoutConfig.restore(row);
      }
    }
    return null;
  }

  async listAfter(afterId: string | null, limit: number): Promise<PayoutConfig[]> {
    return [...this.tables.payoutConfigs.values()]
      .filter((row) => afterId === null || row.id > afterId)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((row) => PayoutConfig.restore(row));
  }

  async replaceSecrets(
    id: string,
    initiatorPassword: SealedSecret,
    consumerSecret: SealedSecret | null,
  ): Promise<void> {
    const row = this.tables.payoutConfigs.get(id);
    if (row !== undefined) {
      const ownApp =
        row.ownApp === null || consumerSecret === null ? row.ownApp : { ...row.ownApp, consumerSecret };
      this.tables.payoutConfigs.set(id, { ...row, initiatorPassword, ownApp });
    }
  }

  /** The partial unique index: one active payout config per business. */
  private assertOneActive(row: PayoutConfigState): void {
    if (!row.active) {
      return;
    }
    for (const other of this.tables.payoutConfigs.values()) {
      if (other.id !== row.id && other.businessId === row.businessId && other.active) {
        throw new UniqueViolation("payout_configs_one_active_per_business");
      }
    }
  }
}

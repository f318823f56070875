import { EntitySchema } from "@mikro-orm/core";
import { PayoutConfig } from "../../../domain/payout-config.ts";
import { PayoutLimits } from "../../../domain/payout-limits.ts";
import { sealedSecret } from "../../../domain/sealed-secret.ts";
import { Shortcode } from "../../../domain/shortcode.ts";

export interface PayoutConfigRow {
  id: string;
  businessId: string;
  shortcode: string;
  initiatorName: string;
  /** AES-256-GCM ciphertext; never the initiator password itself. */
  initiatorPasswordSealed: string;
  consumerKey: string | null;
  /** AES-256-GCM ciphertext of the business's own consumer secret. */
  consumerSecretSealed: string | null;
  /** Whole shillings: pending and completed payouts since midnight EAT may come to this much. */
  dailyLimit: number;
  /** Whole shillings: the most one payout may send. */
  perPayoutLimit: number;
  isActive: boolean;
  createdAt: Date;
}

export const PayoutConfigSchema = new EntitySchema<PayoutConfigRow>({
  name: "PayoutConfigRow",
  tableName: "payout_configs",
  indexes: [
    {
      name: "payout_configs_one_active_per_business",
      expression:
        'create unique index "payout_configs_one_active_per_business" on "payout_configs" ("business_id") where "is_active"',
    },
    { name: "payout_configs_business_id_index", properties: ["businessId"] },
  ],
  checks: [
    {
      name: "payout_configs_own_app_complete",
      expression: "(consumer_key is null) = (consumer_secret_sealed is null)",
    },
    {
      name: "payout_configs_daily_limit_range",
      expression: `(daily_limit >= ${PayoutLimits.MIN}) AND (daily_limit <= ${PayoutLimits.DAILY_MAX})`,
    },
    {
      name: "payout_configs_per_payout_limit_range",
      expression: `(per_payout_limit >= ${PayoutLimits.MIN}) AND (per_payout_limit <= ${PayoutLimits.PER_PAYOUT_MAX})`,
    },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    businessId: { kind: "m:1", entity: "BusinessRow", mapToPk: true, fieldName: "business_id" },
    shortcode: { type: "text" },
    initiatorName: { type: "text" },
    initiatorPasswordSealed: { type: "text" },
    consumerKey: { type: "text", nullable: true },
    consumerSecretSealed: { type: "text", nullable: true },
    dailyLimit: { type: "integer", default: PayoutLimits.DEFAULT_DAILY },
    perPayoutLimit: { type: "integer", default: PayoutLimits.DEFAULT_PER_PAYOUT },
    isActive: { type: "boolean" },
    createdAt: { type: "datetime", columnType: "timestamptz" },
  },
});

export const payoutConfigToRow = (config: PayoutConfig): PayoutConfigRow => {
  const s = config.snapshot();
  return {
    id: s.id,
    businessId: s.businessId,
    shortcode: s.shortcode.value,
    initiatorName: s.initiatorName,
    initiatorPasswordSealed: s.initiatorPassword,
    consumerKey: s.ownApp?.consumerKey ?? null,
    consumerSecretSealed: s.ownApp?.consumerSecret ?? null,
    dailyLimit: s.limits.daily,
    perPayoutLimit: s.limits.perPayout,
    isActive: s.active,
    createdAt: s.createdAt,
  };
};

export const payoutConfigToDomain = (row: PayoutConfigRow): PayoutConfig =>
  PayoutConfig.restore({
    id: row.id,
    businessId: row.businessId,
    shortcode: Shortcode.restore(row.shortcode),
    initiatorName: row.initiatorName,
    initiatorPassword: sealedSecret(row.initiatorPasswordSealed),
    ownApp:
      row.consumerKey === null || row.consumerSecretSealed === null
        ? null
        : { consumerKey: row.consumerKey, consumerSecret: sealedSecret(row.consumerSecretSealed) },
    limits: PayoutLimits.restore(row.dailyLimit, row.perPayoutLimit),
    active: row.isActive,
    createdAt: row.createdAt,
  });

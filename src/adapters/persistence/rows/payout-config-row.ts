import { EntitySchema } from "@mikro-orm/core";
import { PayoutConfig } from "../../../domain/payout-config.ts";
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
  ],
  properties: {
    id: { type: "uuid", primary: true },
    businessId: { kind: "m:1", entity: "BusinessRow", mapToPk: true, fieldName: "business_id" },
    shortcode: { type: "text" },
    initiatorName: { type: "text" },
    initiatorPasswordSealed: { type: "text" },
    consumerKey: { type: "text", nullable: true },
    consumerSecretSealed: { type: "text", nullable: true },
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
    active: row.isActive,
    createdAt: row.createdAt,
  });

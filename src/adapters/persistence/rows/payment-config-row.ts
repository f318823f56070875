import { EntitySchema } from "@mikro-orm/core";
import { AccountReference } from "../../../domain/account-reference.ts";
import { PAYMENT_METHODS, PaymentConfig, type PaymentMethod } from "../../../domain/payment-config.ts";
import { sealedSecret } from "../../../domain/sealed-secret.ts";
import { Shortcode } from "../../../domain/shortcode.ts";

export interface PaymentConfigRow {
  id: string;
  businessId: string;
  method: PaymentMethod;
  shortcode: string;
  storeNumber: string;
  accountReference: string | null;
  accountName: string;
  /** AES-256-GCM ciphertext; never the passkey itself. */
  passkeySealed: string;
  consumerKey: string | null;
  /** AES-256-GCM ciphertext of the business's own consumer secret. */
  consumerSecretSealed: string | null;
  initiatorName: string | null;
  /** AES-256-GCM ciphertext of the receiving shortcode's initiator password. */
  initiatorPasswordSealed: string | null;
  verified: boolean;
  isActive: boolean;
  createdAt: Date;
}

export const PaymentConfigSchema = new EntitySchema<PaymentConfigRow>({
  name: "PaymentConfigRow",
  tableName: "payment_configs",
  indexes: [
    {
      name: "payment_configs_one_active_per_business",
      expression:
        'create unique index "payment_configs_one_active_per_business" on "payment_configs" ("business_id") where "is_active"',
    },
    { name: "payment_configs_business_id_index", properties: ["businessId"] },
  ],
  checks: [
    {
      name: "payment_configs_own_app_complete",
      expression: "(consumer_key is null) = (consumer_secret_sealed is null)",
    },
    {
      name: "payment_configs_initiator_complete",
      expression: "(initiator_name is null) = (initiator_password_sealed is null)",
    },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    businessId: {
      kind: "m:1",
      entity: "BusinessRow",
      mapToPk: true,
      fieldName: "business_id",
    },
    method: { enum: true, items: () => [...PAYMENT_METHODS], type: "text" },
    shortcode: { type: "text" },
    storeNumber: { type: "text" },
    accountReference: { type: "text", nullable: true },
    accountName: { type: "text" },
    passkeySealed: { type: "text" },
    consumerKey: { type: "text", nullable: true },
    consumerSecretSealed: { type: "text", nullable: true },
    initiatorName: { type: "text", nullable: true },
    initiatorPasswordSealed: { type: "text", nullable: true },
    verified: { type: "boolean" },
    isActive: { type: "boolean" },
    createdAt: { type: "datetime", columnType: "timestamptz" },
  },
});

export const paymentConfigToRow = (config: PaymentConfig): PaymentConfigRow => {
  const s = config.snapshot();
  return {
    id: s.id,
    businessId: s.businessId,
    method: s.method,
    shortcode: s.shortcode.value,
    storeNumber: s.storeNumber.value,
    accountReference: s.accountReference?.value ?? null,
    accountName: s.accountName,
    passkeySealed: s.passkey,
    consumerKey: s.ownApp?.consumerKey ?? null,
    consumerSecretSealed: s.ownApp?.consumerSecret ?? null,
    initiatorName: s.initiator?.name ?? null,
    initiatorPasswordSealed: s.initiator?.password ?? null,
    verified: s.verified,
    isActive: s.active,
    createdAt: s.createdAt,
  };
};

export const paymentConfigToDomain = (row: PaymentConfigRow): PaymentConfig =>
  PaymentConfig.restore({
    id: row.id,
    businessId: row.businessId,
    method: row.method,
    shortcode: Shortcode.restore(row.shortcode),
    storeNumber: Shortcode.restore(row.storeNumber),
    accountReference: row.accountReference === null ? null : AccountReference.restore(row.accountReference),
    accountName: row.accountName,
    passkey: sealedSecret(row.passkeySealed),
    ownApp:
      row.consumerKey === null || row.consumerSecretSealed === null
        ? null
        : { consumerKey: row.consumerKey, consumerSecret: sealedSecret(row.consumerSecretSealed) },
    initiator:
      row.initiatorName === null || row.initiatorPasswordSealed === null
        ? null
        : { name: row.initiatorName, password: sealedSecret(row.initiatorPasswordSealed) },
    verified: row.verified,
    active: row.isActive,
    createdAt: row.createdAt,
  });

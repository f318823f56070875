import { EntitySchema } from "@mikro-orm/core";
import { ConfigVerification } from "../../../domain/config-verification.ts";
import {
  openPaymentsIndex,
  type StkPaymentColumns,
  stkPaymentColumns,
  stkPaymentProperties,
  stkPaymentState,
} from "./stk-payment-columns.ts";

export interface ConfigVerificationRow extends StkPaymentColumns {
  businessId: string;
  paymentConfigId: string;
}

export const ConfigVerificationSchema = new EntitySchema<ConfigVerificationRow>({
  name: "ConfigVerificationRow",
  tableName: "config_verifications",
  indexes: [
    { name: "config_verifications_payment_config_id_id_index", properties: ["paymentConfigId", "id"] },
    openPaymentsIndex("config_verifications"),
  ],
  checks: [{ name: "config_verifications_amount_is_one", expression: "amount = 1" }],
  properties: {
    ...stkPaymentProperties("config_verifications"),
    businessId: { kind: "m:1", entity: "BusinessRow", mapToPk: true, fieldName: "business_id" },
    paymentConfigId: {
      kind: "m:1",
      entity: "PaymentConfigRow",
      mapToPk: true,
      fieldName: "payment_config_id",
    },
  },
});

export const configVerificationToRow = (verification: ConfigVerification): ConfigVerificationRow => {
  const s = verification.snapshot();
  return { ...stkPaymentColumns(s), businessId: s.businessId, paymentConfigId: s.paymentConfigId };
};

export const configVerificationToDomain = (row: ConfigVerificationRow): ConfigVerification =>
  ConfigVerification.restore({
    ...stkPaymentState(row),
    businessId: row.businessId,
    paymentConfigId: row.paymentConfigId,
  });

import { EntitySchema } from "@mikro-orm/core";

/**
 * The current OAuth token of a Daraja app that several instances share, sealed by the SecretBox. `appKey` is a
 * SHA-256 digest of the consumer key, a digest of the secret and the Daraja environment's base URL. One row per
 * app, replaced when any instance gets a new token; a row outlives its token only until the next replacement.
 */
export interface DarajaTokenRow {
  appKey: string;
  sealedToken: string;
  expiresAt: Date;
  updatedAt: Date;
}

export const DarajaTokenSchema = new EntitySchema<DarajaTokenRow>({
  name: "DarajaTokenRow",
  tableName: "daraja_tokens",
  properties: {
    appKey: { type: "string", columnType: "text", primary: true, fieldName: "app_key" },
    sealedToken: { type: "string", columnType: "text", fieldName: "sealed_token" },
    expiresAt: { type: "datetime", columnType: "timestamptz", fieldName: "expires_at" },
    updatedAt: { type: "datetime", columnType: "timestamptz", fieldName: "updated_at" },
  },
});

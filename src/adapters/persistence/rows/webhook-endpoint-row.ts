import { EntitySchema } from "@mikro-orm/core";
import { sealedSecret } from "../../../domain/sealed-secret.ts";
import { type EventSelection, WebhookEndpoint } from "../../../domain/webhook-endpoint.ts";

export interface WebhookEndpointRow {
  id: string;
  businessId: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  disabledReason: string | null;
  /** AES-256-GCM ciphertext of the `whsec_` secret (the HMAC needs it back, so it cannot be a hash). */
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretExpiresAt: Date | null;
  failingSince: Date | null;
  createdAt: Date;
}

/** A business's webhook endpoints; they go with the business. */
export const WebhookEndpointSchema = new EntitySchema<WebhookEndpointRow>({
  name: "WebhookEndpointRow",
  tableName: "webhook_endpoints",
  indexes: [{ name: "webhook_endpoints_business_id_index", properties: ["businessId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    businessId: {
      kind: "m:1",
      entity: "BusinessRow",
      mapToPk: true,
      fieldName: "business_id",
      deleteRule: "cascade",
    },
    url: { type: "text" },
    events: { type: "json" },
    description: { type: "text", nullable: true },
    enabled: { type: "boolean" },
    disabledReason: { type: "text", nullable: true },
    secretSealed: { type: "text" },
    previousSecretSealed: { type: "text", nullable: true },
    previousSecretExpiresAt: { type: "datetime", columnType: "timestamptz", nullable: true },
    failingSince: { type: "datetime", columnType: "timestamptz", nullable: true },
    createdAt: { type: "datetime", columnType: "timestamptz" },
  },
});

export const webhookEndpointToRow = (endpoint: WebhookEndpoint): WebhookEndpointRow => {
  const s = endpoint.snapshot();
  return {
    id: s.id,
    businessId: s.businessId,
    url: s.url,
    events: [...s.events],
    description: s.description,
    enabled: s.enabled,
    disabledReason: s.disabledReason,
    secretSealed: s.secret,
    previousSecretSealed: s.previousSecret,
    previousSecretExpiresAt: s.previousSecretExpiresAt,
    failingSince: s.failingSince,
    createdAt: s.createdAt,
  };
};

export const webhookEndpointToDomain = (row: WebhookEndpointRow): WebhookEndpoint =>
  WebhookEndpoint.restore({
    id: row.id,
    businessId: row.businessId,
    url: row.url,
    // Written only from a parsed EventSelection.
    events: row.events as unknown as EventSelection,
    description: row.description,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    secret: sealedSecret(row.secretSealed),
    previousSecret: row.previousSecretSealed === null ? null : sealedSecret(row.previousSecretSealed),
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    failingSince: row.failingSince,
    createdAt: row.createdAt,
  });

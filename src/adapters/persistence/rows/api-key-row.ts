import { EntitySchema } from "@mikro-orm/core";
import type { ApiKeyRecord } from "../../../application/ports/api-key-repository.ts";
import { type ApiKeyScope, isApiKeyScope } from "../../../domain/api-key-scope.ts";

/** A business API key: never the secret, only its SHA-256 and its prefixes. */
export interface ApiKeyRow {
  id: string;
  businessId: string;
  name: string;
  prefix: string;
  lookup: string;
  secretHash: string;
  scopes: ApiKeyScope[];
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export const ApiKeySchema = new EntitySchema<ApiKeyRow>({
  name: "ApiKeyRow",
  tableName: "api_keys",
  indexes: [
    { name: "api_keys_lookup_index", properties: ["lookup"] },
    { name: "api_keys_business_id_index", properties: ["businessId"] },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    businessId: { kind: "m:1", entity: "BusinessRow", mapToPk: true, fieldName: "business_id" },
    name: { type: "text" },
    prefix: { type: "text" },
    lookup: { type: "text" },
    secretHash: { type: "text" },
    scopes: { type: "json" },
    createdBy: { kind: "m:1", entity: "UserRow", mapToPk: true, fieldName: "created_by" },
    createdAt: { type: "datetime", columnType: "timestamptz" },
    lastUsedAt: { type: "datetime", columnType: "timestamptz", nullable: true },
    revokedAt: { type: "datetime", columnType: "timestamptz", nullable: true },
  },
});

export const apiKeyToRow = (key: ApiKeyRecord): ApiKeyRow => ({
  ...key,
  scopes: [...key.scopes],
  revokedAt: null,
});

export const apiKeyToDomain = (row: ApiKeyRow): ApiKeyRecord => ({
  id: row.id,
  businessId: row.businessId,
  name: row.name,
  prefix: row.prefix,
  lookup: row.lookup,
  secretHash: row.secretHash,
  scopes: (Array.isArray(row.scopes) ? row.scopes : []).filter(isApiKeyScope),
  createdBy: row.createdBy,
  createdAt: row.createdAt,
  lastUsedAt: row.lastUsedAt,
});

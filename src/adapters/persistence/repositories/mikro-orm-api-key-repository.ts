import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { ApiKeyRecord, ApiKeyRepository } from "../../../application/ports/api-key-repository.ts";
import { type ApiKeyRow, ApiKeySchema, apiKeyToDomain, apiKeyToRow } from "../rows/api-key-row.ts";
import { canBeId } from "./mikro-orm-support.ts";
import { insertRow } from "./row-sql.ts";

type ApiKeyRecordRow = {
  id: string;
  business_id: string;
  name: string;
  prefix: string;
  lookup: string;
  secret_hash: string;
  scopes: unknown;
  created_by: string;
  created_at: Date | string;
  last_used_at: Date | string | null;
};

const asDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

const COLUMNS = `"id", "business_id", "name", "prefix", "lookup", "secret_hash", "scopes", "created_by", "created_at", "last_used_at"`;

function fromRecord(record: ApiKeyRecordRow): ApiKeyRecord {
  const scopes: unknown = typeof record.scopes === "string" ? JSON.parse(record.scopes) : record.scopes;
  const row: ApiKeyRow = {
    id: record.id,
    businessId: record.business_id,
    name: record.name,
    prefix: record.prefix,
    lookup: record.lookup,
    secretHash: record.secret_hash,
    scopes: Array.isArray(scopes) ? scopes : [],
    createdBy: record.created_by,
    createdAt: asDate(record.created_at),
    lastUsedAt: record.last_used_at === null ? null : asDate(record.last_used_at),
    revokedAt: null,
  };
  return apiKeyToDomain(row);
}

/** API keys. The lookup by prefix runs on every request made with a key: one indexed statement. */
export class MikroOrmApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async add(key: ApiKeyRecord): Promise<void> {
    await insertRow(this.em, ApiKeySchema, apiKeyToRow(key));
  }

  async findByLookup(lookup: string): Promise<ApiKeyRecord[]> {
    const records = await this.em.execute<ApiKeyRecordRow[]>(
      `select ${COLUMNS} from "api_keys" where "lookup" = ? and "revoked_at" is null limit 10`,
      [lookup],
    );
    return records.map(fromRecord);
  }

  async listForBusiness(businessId: string): Promise<ApiKeyRecord[]> {
    const records = await this.em.execute<ApiKeyRecordRow[]>(
      `select ${COLUMNS} from "api_keys" where "business_id" = ? and "revoked_at" is null order by "id" desc`,
      [businessId],
    );
    return records.map(fromRecord);
  }

  async revoke(businessId: string, id: string, at: Date): Promise<boolean> {
    if (!canBeId(id)) {
      return false;
    }
    const result = await this.em.execute(
      `update "api_keys" set "revoked_at" = ? where "id" = ? and "business_id" = ? and "revoked_at" is null`,
      [at, id, businessId],
      "run",
    );
    return (result as { affectedRows?: number }).affectedRows === 1;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.em.execute(
      `update "api_keys" set "last_used_at" = ?
       where "id" = ? and ("last_used_at" is null or "last_used_at" < ?::timestamptz - interval '1 minute')`,
      [at, id, at],
      "run",
    );
  }
}

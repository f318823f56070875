import type { ApiKeyRecord, ApiKeyRepository } from "../../application/ports/api-key-repository.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { insertRow, newestFirst } from "./table-helpers.ts";

const MINUTE_MS = 60_000;

const strip = ({ revokedAt: _revoked, ...key }: ApiKeyRecord & { revokedAt: Date | null }): ApiKeyRecord =>
  key;

export class InMemoryApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async add(key: ApiKeyRecord): Promise<void> {
    insertRow(this.tables.apiKeys, { ...key, revokedAt: null }, "api_keys");
  }

  async findByLookup(lookup: string): Promise<ApiKeyRecord[]> {
    return [...this.tables.apiKeys.values()]
      .filter((key) => key.lookup === lookup && key.revokedAt === null)
      .map(strip);
  }

  async listForBusiness(businessId: string): Promise<ApiKeyRecord[]> {
    return newestFirst(this.tables.apiKeys.values())
      .filter((key) => key.businessId === businessId && key.revokedAt === null)
      .map(strip);
  }

  async revoke(businessId: string, id: string, at: Date): Promise<boolean> {
    const key = this.tables.apiKeys.get(id);
    if (key === undefined || key.businessId !== businessId || key.revokedAt !== null) {
      return false;
    }
    this.tables.apiKeys.set(id, { ...key, revokedAt: at });
    return true;
  }

  async touch(id: string, at: Date): Promise<void> {
    const key = this.tables.apiKeys.get(id);
    if (
      key !== undefined &&
      (key.lastUsedAt === null || key.lastUsedAt.getTime() < at.getTime() - MINUTE_MS)
    ) {
      this.tables.apiKeys.set(id, { ...key, lastUsedAt: at });
    }
  }
}

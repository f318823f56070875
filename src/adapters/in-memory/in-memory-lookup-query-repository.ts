import type { LookupQueryRepository } from "../../application/ports/lookup-query-repository.ts";
import { RecordNotFound } from "../../application/ports/repository-errors.ts";
import type { LookupQuery } from "../../domain/lookup-query.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { assertUnique, insertRow } from "./table-helpers.ts";

export class InMemoryLookupQueryRepository implements LookupQueryRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async add(query: LookupQuery): Promise<void> {
    assertUnique(this.tables.lookupQueries, query, "tokenHash", "lookup_queries_token_hash_unique");
    insertRow(this.tables.lookupQueries, structuredClone(query), "lookup_queries");
  }

  async findById(id: string): Promise<LookupQuery | null> {
    const row = this.tables.lookupQueries.get(id);
    return row === undefined ? null : structuredClone(row);
  }

  async findByTokenHash(tokenHash: string): Promise<LookupQuery | null> {
    for (const row of this.tables.lookupQueries.values()) {
      if (row.tokenHash === tokenHash) {
        return structuredClone(row);
      }
    }
    return null;
  }

  async update(query: LookupQuery): Promise<void> {
    if (!this.tables.lookupQueries.has(query.id)) {
      throw new RecordNotFound("LookupQuery", query.id);
    }
    this.tables.lookupQueries.set(query.id, structuredClone(query));
  }
}

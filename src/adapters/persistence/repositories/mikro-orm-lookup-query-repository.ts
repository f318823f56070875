import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { LookupQueryRepository } from "../../../application/ports/lookup-query-repository.ts";
import type { LookupQuery } from "../../../domain/lookup-query.ts";
import { LookupQuerySchema, lookupQueryToDomain, lookupQueryToRow } from "../rows/lookup-query-row.ts";
import { insertRow, selectRow, updateById } from "./row-sql.ts";

export class MikroOrmLookupQueryRepository implements LookupQueryRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async add(query: LookupQuery): Promise<void> {
    await insertRow(this.em, LookupQuerySchema, lookupQueryToRow(query));
  }

  async findById(id: string): Promise<LookupQuery | null> {
    const row = await selectRow(this.em, LookupQuerySchema, { id });
    return row === null ? null : lookupQueryToDomain(row);
  }

  async findByTokenHash(tokenHash: string, options?: { lock?: boolean }): Promise<LookupQuery | null> {
    const row = await selectRow(this.em, LookupQuerySchema, { tokenHash }, options);
    return row === null ? null : lookupQueryToDomain(row);
  }

  async update(query: LookupQuery): Promise<void> {
    await updateById(this.em, LookupQuerySchema, lookupQueryToRow(query));
  }
}

import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type {
  C2bCheck,
  C2bCheckRepository,
  C2bCheckStatus,
} from "../../../application/ports/c2b-check-repository.ts";
import { C2bCheckSchema, c2bCheckToDomain, c2bCheckToRow } from "../rows/c2b-check-row.ts";
import { insertRow, selectRow } from "./row-sql.ts";

export class MikroOrmC2bCheckRepository implements C2bCheckRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async add(check: C2bCheck): Promise<void> {
    await insertRow(this.em, C2bCheckSchema, c2bCheckToRow(check));
  }

  async findByTokenHash(tokenHash: string, options?: { lock?: boolean }): Promise<C2bCheck | null> {
    const row = await selectRow(this.em, C2bCheckSchema, { tokenHash }, options);
    return row === null ? null : c2bCheckToDomain(row);
  }

  async settle(id: string, status: Exclude<C2bCheckStatus, "pending">): Promise<void> {
    await this.em.nativeUpdate(C2bCheckSchema, { id }, { status });
  }
}

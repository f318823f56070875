import type {
  C2bCheck,
  C2bCheckRepository,
  C2bCheckStatus,
} from "../../application/ports/c2b-check-repository.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { assertUnique, insertRow } from "./table-helpers.ts";

export class InMemoryC2bCheckRepository implements C2bCheckRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async add(check: C2bCheck): Promise<void> {
    assertUnique(this.tables.c2bChecks, check, "tokenHash", "c2b_checks_token_hash_unique");
    insertRow(this.tables.c2bChecks, structuredClone(check), "c2b_checks");
  }

  async findByTokenHash(tokenHash: string): Promise<C2bCheck | null> {
    for (const row of this.tables.c2bChecks.values()) {
      if (row.tokenHash === tokenHash) {
        return structuredClone(row);
      }
    }
    return null;
  }

  async settle(id: string, status: Exclude<C2bCheckStatus, "pending">): Promise<void> {
    const row = this.tables.c2bChecks.get(id);
    if (row !== undefined) {
      this.tables.c2bChecks.set(id, { ...row, status });
    }
  }
}

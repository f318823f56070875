import type { BusinessRepository } from "../../application/ports/business-repository.ts";
import { Business } from "../../domain/business.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { insertRow, newestFirst } from "./table-helpers.ts";

export class InMemoryBusinessRepository implements BusinessRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async add(business: Business): Promise<void> {
    insertRow(this.tables.businesses, business.snapshot(), "businesses");
  }

  async findOwned(id: string, ownerId: string): Promise<Business | null> {
    const row = this.tables.businesses.get(id);
    return row === undefined || row.ownerId !== ownerId ? null : Business.restore(row);
  }

  async countOwnedBy(ownerId: string): Promise<number> {
    return [...this.tables.businesses.values()].filter((row) => row.ownerId === ownerId).length;
  }

  async listByOwner(ownerId: string): Promise<Business[]> {
    return newestFirst([...this.tables.businesses.values()].filter((row) => row.ownerId === ownerId)).map(
      Business.restore,
    );
  }

  async findById(id: string): Promise<Business | null> {
    const row = this.tables.businesses.get(id);
    return row === undefined ? null : Business.restore(row);
  }
}

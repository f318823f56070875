import type { BusinessRepository } from "../../application/ports/business-repository.ts";
import { Business } from "../../domain/business.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { insertRow } from "./table-helpers.ts";

export class InMemoryBusinessRepository implements BusinessRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async add(business: Business): Promise<void> {
    insertRow(this.tables.businesses, business.snapshot(), "businesses");
    this.tables.members.set(`${business.id}:${business.ownerId}`, {
      businessId: business.id,
      userId: business.ownerId,
      role: "owner",
      addedAt: business.createdAt,
    });
  }

  async countOwnedBy(ownerId: string): Promise<number> {
    return [...this.tables.businesses.values()].filter((row) => row.ownerId === ownerId).length;
  }

  async findById(id: string): Promise<Business | null> {
    const row = this.tables.businesses.get(id);
    return row === undefined ? null : Business.restore(row);
  }
}

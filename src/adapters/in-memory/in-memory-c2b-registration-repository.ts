import {
  C2B_SHORTCODE_UNIQUE,
  type C2bRegistrationRepository,
} from "../../application/ports/c2b-registration-repository.ts";
import { UniqueViolation } from "../../application/ports/repository-errors.ts";
import { C2bRegistration, type C2bRegistrationState } from "../../domain/c2b-registration.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";

export class InMemoryC2bRegistrationRepository implements C2bRegistrationRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async save(registration: C2bRegistration): Promise<void> {
    const row = registration.snapshot();
    for (const other of this.tables.c2bRegistrations.values()) {
      if (other.businessId !== row.businessId && other.shortcode === row.shortcode) {
        throw new UniqueViolation(C2B_SHORTCODE_UNIQUE);
      }
    }
    for (const [id, other] of this.tables.c2bRegistrations.entries()) {
      if (other.businessId === row.businessId) {
        this.tables.c2bRegistrations.delete(id);
      }
    }
    this.tables.c2bRegistrations.set(row.id, row);
  }

  async findByBusiness(businessId: string): Promise<C2bRegistration | null> {
    return this.find((row) => row.businessId === businessId);
  }

  async findByShortcode(shortcode: string): Promise<C2bRegistration | null> {
    return this.find((row) => row.shortcode === shortcode);
  }

  async findByTokenHash(tokenHash: string): Promise<C2bRegistration | null> {
    return this.find((row) => row.tokenHash === tokenHash);
  }

  async listAll(limit: number): Promise<C2bRegistration[]> {
    return [...this.tables.c2bRegistrations.values()]
      .sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime())
      .slice(0, limit)
      .map((row) => C2bRegistration.restore(row));
  }

  private find(predicate: (row: C2bRegistrationState) => boolean): C2bRegistration | null {
    for (const row of this.tables.c2bRegistrations.values()) {
      if (predicate(row)) {
        return C2bRegistration.restore(row);
      }
    }
    return null;
  }
}

import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { C2bRegistrationRepository } from "../../../application/ports/c2b-registration-repository.ts";
import type { C2bRegistration } from "../../../domain/c2b-registration.ts";
import {
  type C2bRegistrationRow,
  C2bRegistrationSchema,
  c2bRegistrationToDomain,
  c2bRegistrationToRow,
} from "../rows/c2b-registration-row.ts";
import { insertRow, selectRow } from "./row-sql.ts";

export class MikroOrmC2bRegistrationRepository implements C2bRegistrationRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async save(registration: C2bRegistration): Promise<void> {
    await this.em.execute(`delete from "c2b_registrations" where "business_id" = ?`, [
      registration.businessId,
    ]);
    await insertRow(this.em, C2bRegistrationSchema, c2bRegistrationToRow(registration));
  }

  findByBusiness(businessId: string): Promise<C2bRegistration | null> {
    return this.findBy({ businessId });
  }

  findByShortcode(shortcode: string): Promise<C2bRegistration | null> {
    return this.findBy({ shortcode });
  }

  findByTokenHash(tokenHash: string): Promise<C2bRegistration | null> {
    return this.findBy({ tokenHash });
  }

  async listAll(limit: number): Promise<C2bRegistration[]> {
    const rows = await this.em.find(
      C2bRegistrationSchema,
      {},
      { disableIdentityMap: true, orderBy: { registeredAt: "asc" }, limit },
    );
    return rows.map(c2bRegistrationToDomain);
  }

  private async findBy(where: Partial<C2bRegistrationRow>): Promise<C2bRegistration | null> {
    const row = await selectRow(this.em, C2bRegistrationSchema, where);
    return row === null ? null : c2bRegistrationToDomain(row);
  }
}

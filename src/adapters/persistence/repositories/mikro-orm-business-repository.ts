import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { BusinessRepository } from "../../../application/ports/business-repository.ts";
import type { Business } from "../../../domain/business.ts";
import { BusinessSchema, businessToDomain, businessToRow } from "../rows/business-row.ts";
import { READ, writing } from "./mikro-orm-support.ts";
import { selectRow } from "./row-sql.ts";

export class MikroOrmBusinessRepository implements BusinessRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async add(business: Business): Promise<void> {
    await writing(() => this.em.insert(BusinessSchema, businessToRow(business)));
  }

  async findOwned(
    id: string,
    ownerId: string,
    options?: { lock?: boolean | "share" },
  ): Promise<Business | null> {
    const lock = options?.lock === "share" ? "key share" : options?.lock === true;
    const row = await selectRow(this.em, BusinessSchema, { id, ownerId }, { lock });
    return row === null ? null : businessToDomain(row);
  }

  async countOwnedBy(ownerId: string, options?: { lock?: boolean }): Promise<number> {
    if (options?.lock === true) {
      await this.em.execute('select 1 from "users" where "id" = ? for update', [ownerId]);
    }
    const [row] = await this.em.execute<{ owned: string | number }[]>(
      'select count(*) as "owned" from "businesses" where "owner_id" = ?',
      [ownerId],
    );
    return Number(row?.owned ?? 0);
  }

  async listByOwner(ownerId: string): Promise<Business[]> {
    const rows = await this.em.find(BusinessSchema, { ownerId }, { ...READ, orderBy: { id: "desc" } });
    return rows.map(businessToDomain);
  }

  async findById(id: string): Promise<Business | null> {
    const row = await this.em.findOne(BusinessSchema, { id }, READ);
    return row === null ? null : businessToDomain(row);
  }
}

import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { BusinessRepository } from "../../../application/ports/business-repository.ts";
import type { Business } from "../../../domain/business.ts";
import { type BusinessMemberRow, BusinessMemberSchema } from "../rows/business-member-row.ts";
import { BusinessSchema, businessToDomain, businessToRow } from "../rows/business-row.ts";
import { canBeId, writing } from "./mikro-orm-support.ts";
import { selectRow } from "./row-sql.ts";

export class MikroOrmBusinessRepository implements BusinessRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async add(business: Business): Promise<void> {
    await writing(() => this.em.insert(BusinessSchema, businessToRow(business)));
    const owner: BusinessMemberRow = {
      businessId: business.id,
      userId: business.ownerId,
      role: "owner",
      addedAt: business.createdAt,
    };
    await this.em.insert(BusinessMemberSchema, owner);
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

  async findById(id: string, options?: { lock?: boolean | "share" }): Promise<Business | null> {
    if (!canBeId(id)) {
      return null;
    }
    const lock = options?.lock === "share" ? "key share" : options?.lock === true;
    const row = await selectRow(this.em, BusinessSchema, { id }, { lock });
    return row === null ? null : businessToDomain(row);
  }
}

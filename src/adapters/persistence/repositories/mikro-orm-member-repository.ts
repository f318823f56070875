import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type {
  BusinessMembership,
  Member,
  MemberRepository,
} from "../../../application/ports/member-repository.ts";
import { Business } from "../../../domain/business.ts";
import { Email } from "../../../domain/email.ts";
import { type Role, restoreRole } from "../../../domain/role.ts";
import { canBeId } from "./mikro-orm-support.ts";

type MemberRecord = {
  business_id: string;
  user_id: string;
  email: string;
  name: string;
  role: string;
  added_at: Date | string;
};

type MembershipRecord = {
  id: string;
  owner_id: string;
  name: string;
  created_at: Date | string;
  role: string;
};

const asDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

const MEMBER_SQL = `
select m."business_id", m."user_id", u."email", u."name", m."role", m."added_at"
from "business_members" m join "users" u on u."id" = m."user_id"`;

const toMember = (record: MemberRecord): Member => ({
  businessId: record.business_id,
  userId: record.user_id,
  email: Email.restore(record.email),
  name: record.name,
  role: restoreRole(record.role),
  addedAt: asDate(record.added_at),
});

export class MikroOrmMemberRepository implements MemberRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async add(member: { businessId: string; userId: string; role: Role; addedAt: Date }): Promise<boolean> {
    const result = await this.em.execute(
      `insert into "business_members" ("business_id", "user_id", "role", "added_at") values (?, ?, ?, ?)
       on conflict ("business_id", "user_id") do nothing`,
      [member.businessId, member.userId, member.role, member.addedAt],
      "run",
    );
    return (result as { affectedRows?: number }).affectedRows === 1;
  }

  async find(businessId: string, userId: string): Promise<Member | null> {
    if (!canBeId(businessId) || !canBeId(userId)) {
      return null;
    }
    const [record] = await this.em.execute<MemberRecord[]>(
      `${MEMBER_SQL} where m."business_id" = ? and m."user_id" = ?`,
      [businessId, userId],
    );
    return record === undefined ? null : toMember(record);
  }

  async listForBusiness(businessId: string): Promise<Member[]> {
    const records = await this.em.execute<MemberRecord[]>(
      `${MEMBER_SQL} where m."business_id" = ?
       order by case when m."role" = 'owner' then 0 else 1 end, m."added_at", m."user_id"`,
      [businessId],
    );
    return records.map(toMember);
  }

  async listForUser(userId: string): Promise<BusinessMembership[]> {
    const records = await this.em.execute<MembershipRecord[]>(
      `select b."id", b."owner_id", b."name", b."created_at", m."role"
       from "business_members" m join "businesses" b on b."id" = m."business_id"
       where m."user_id" = ? order by b."id" desc`,
      [userId],
    );
    return records.map((record) => ({
      business: Business.restore({
        id: record.id,
        ownerId: record.owner_id,
        name: record.name,
        createdAt: asDate(record.created_at),
      }),
      role: restoreRole(record.role),
    }));
  }

  async countOwners(businessId: string): Promise<number> {
    const [row] = await this.em.execute<{ owners: string | number }[]>(
      `select count(*) as "owners" from "business_members" where "business_id" = ? and "role" = 'owner'`,
      [businessId],
    );
    return Number(row?.owners ?? 0);
  }

  async changeRole(businessId: string, userId: string, role: Role): Promise<void> {
    await this.em.execute(
      `update "business_members" set "role" = ? where "business_id" = ? and "user_id" = ?`,
      [role, businessId, userId],
      "run",
    );
  }

  async remove(businessId: string, userId: string): Promise<void> {
    await this.em.execute(
      `delete from "business_members" where "business_id" = ? and "user_id" = ?`,
      [businessId, userId],
      "run",
    );
  }
}

import type {
  BusinessMembership,
  Member,
  MemberRepository,
} from "../../application/ports/member-repository.ts";
import { Business } from "../../domain/business.ts";
import type { Role } from "../../domain/role.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";

const keyOf = (businessId: string, userId: string) => `${businessId}:${userId}`;

export class InMemoryMemberRepository implements MemberRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async add(member: { businessId: string; userId: string; role: Role; addedAt: Date }): Promise<boolean> {
    const key = keyOf(member.businessId, member.userId);
    if (this.tables.members.has(key)) {
      return false;
    }
    this.tables.members.set(key, { ...member });
    return true;
  }

  async find(businessId: string, userId: string): Promise<Member | null> {
    const row = this.tables.members.get(keyOf(businessId, userId));
    return row === undefined ? null : this.toMember(row);
  }

  async listForBusiness(businessId: string): Promise<Member[]> {
    const rank = (role: Role) => (role === "owner" ? 0 : 1);
    return [...this.tables.members.values()]
      .filter((row) => row.businessId === businessId)
      .sort(
        (a, b) =>
          rank(a.role) - rank(b.role) ||
          a.addedAt.getTime() - b.addedAt.getTime() ||
          (a.userId < b.userId ? -1 : 1),
      )
      .flatMap((row) => {
        const member = this.toMember(row);
        return member === null ? [] : [member];
      });
  }

  async listForUser(userId: string): Promise<BusinessMembership[]> {
    return [...this.tables.members.values()]
      .filter((row) => row.userId === userId)
      .sort((a, b) => (a.businessId < b.businessId ? 1 : -1))
      .flatMap((row) => {
        const business = this.tables.businesses.get(row.businessId);
        return business === undefined ? [] : [{ business: Business.restore(business), role: row.role }];
      });
  }

  async countOwners(businessId: string): Promise<number> {
    return [...this.tables.members.values()].filter(
      (row) => row.businessId === businessId && row.role === "owner",
    ).length;
  }

  async changeRole(businessId: string, userId: string, role: Role): Promise<void> {
    const key = keyOf(businessId, userId);
    const row = this.tables.members.get(key);
    if (row !== undefined) {
      this.tables.members.set(key, { ...row, role });
    }
  }

  async remove(businessId: string, userId: string): Promise<void> {
    this.tables.members.delete(keyOf(businessId, userId));
  }

  private toMember(row: { businessId: string; userId: string; role: Role; addedAt: Date }): Member | null {
    const user = this.tables.users.get(row.userId);
    return user === undefined
      ? null
      : {
          businessId: row.businessId,
          userId: row.userId,
          email: user.email,
          name: user.name,
          role: row.role,
          addedAt: row.addedAt,
        };
  }
}

import type { TokenClaims } from "../../application/ports/token-issuer.ts";
import type { EmailTaken, UserRepository } from "../../application/ports/user-repository.ts";
import type { Email } from "../../domain/email.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { Membership } from "../../domain/role.ts";
import { User } from "../../domain/user.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { insertRow, replaceRow } from "./table-helpers.ts";

/** Token ids are UUIDs, as in the database's column: any other string is never found, as there. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class InMemoryUserRepository implements UserRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async add(user: User): Promise<Result<void, EmailTaken>> {
    if ((await this.findByEmail(user.email)) !== null) {
      return err({ type: "email_taken" });
    }
    insertRow(this.tables.users, user.snapshot(), "users");
    return ok();
  }

  async findById(id: string): Promise<User | null> {
    const row = this.tables.users.get(id);
    return row === undefined ? null : User.restore(row);
  }

  async findByEmail(email: Email): Promise<User | null> {
    for (const row of this.tables.users.values()) {
      if (row.email.equals(email)) {
        return User.restore(row);
      }
    }
    return null;
  }

  async findByToken(claims: TokenClaims): Promise<{ user: User; memberships: Membership[] } | null> {
    const user = await this.findById(claims.userId);
    if (user === null || !UUID.test(claims.tokenId) || user.refusesTokenIssuedAt(claims.issuedAt)) {
      return null;
    }
    if (this.tables.revokedTokens.has(claims.tokenId)) {
      return null;
    }
    const memberships = [...this.tables.members.values()]
      .filter((m) => m.userId === user.id)
      .sort((a, b) => (a.businessId < b.businessId ? 1 : -1))
      .map((m) => ({ businessId: m.businessId, role: m.role }));
    return { user, memberships };
  }

  async changePassword(user: User): Promise<void> {
    replaceRow(this.tables.users, user.snapshot(), "User");
  }

  async revokeToken(claims: TokenClaims): Promise<void> {
    if (!this.tables.revokedTokens.has(claims.tokenId)) {
      this.tables.revokedTokens.set(claims.tokenId, claims);
    }
  }

  async purgeRevokedTokens(now: Date): Promise<number> {
    let purged = 0;
    for (const [tokenId, claims] of this.tables.revokedTokens) {
      if (claims.expiresAt.getTime() <= now.getTime()) {
        this.tables.revokedTokens.delete(tokenId);
        purged += 1;
      }
    }
    return purged;
  }
}

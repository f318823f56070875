import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { TokenClaims } from "../../../application/ports/token-issuer.ts";
import type { EmailTaken, UserRepository } from "../../../application/ports/user-repository.ts";
import type { Email } from "../../../domain/email.ts";
import { err, ok, type Result } from "../../../domain/result.ts";
import { type Membership, restoreRole } from "../../../domain/role.ts";
import type { User } from "../../../domain/user.ts";
import { RevokedTokenSchema } from "../rows/revoked-token-row.ts";
import { type UserRow, UserSchema, userToDomain, userToRow } from "../rows/user-row.ts";
import { canBeId, writing } from "./mikro-orm-support.ts";
import { selectRow } from "./row-sql.ts";

/**
 * The bearer's user, their memberships and the token's revocation in one statement, on every authenticated request: the user row,
 * only if the token was issued no earlier than the user's cut-off and its id is not among the revoked ones.
 */
const USER_BY_TOKEN_SQL = `
select u."id", u."email", u."name", u."phone", u."password_hash", u."created_at", u."tokens_valid_after",
  (select coalesce(json_agg(json_build_array(m."business_id", m."role") order by m."business_id" desc), '[]'::json)
     from "business_members" m where m."user_id" = u."id") as "memberships"
from "users" u
where u."id" = ?
  and (u."tokens_valid_after" is null or u."tokens_valid_after" <= ?)
  and not exists (select 1 from "revoked_tokens" r where r."token_id" = ?)`;

type UserRecord = {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  password_hash: string;
  created_at: Date | string;
  tokens_valid_after: Date | string | null;
  /** [business_id, role] pairs, as JSON (parsed by the driver, or text). */
  memberships: unknown;
};

/** The memberships column of USER_BY_TOKEN_SQL. */
function membershipsOf(value: unknown): Membership[] {
  const pairs: unknown = typeof value === "string" ? JSON.parse(value) : value;
  if (!Array.isArray(pairs)) {
    return [];
  }
  return pairs.map((pair) => {
    const [businessId, role] = pair as [string, string];
    return { businessId, role: restoreRole(role) };
  });
}

/** The driver may hand timestamps over as text. */
const asDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

export class MikroOrmUserRepository implements UserRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async add(user: User): Promise<Result<void, EmailTaken>> {
    // ON CONFLICT DO NOTHING: a taken email is an answer, and must not abort the transaction.
    const inserted = await writing(() =>
      this.em
        .createQueryBuilder(UserSchema)
        .insert(userToRow(user))
        .onConflict("email")
        .ignore()
        .execute("run"),
    );
    return inserted.affectedRows === 1 ? ok() : err({ type: "email_taken" });
  }

  async findById(id: string): Promise<User | null> {
    // The id comes from a token's `sub`, which no schema checked.
    if (!canBeId(id)) {
      return null;
    }
    const row = await selectRow(this.em, UserSchema, { id });
    return row === null ? null : userToDomain(row);
  }

  async findByEmail(email: Email): Promise<User | null> {
    const row = await selectRow(this.em, UserSchema, { email: email.value });
    return row === null ? null : userToDomain(row);
  }

  async findByToken(claims: TokenClaims): Promise<{ user: User; memberships: Membership[] } | null> {
    // Both ids come from a signed token, but a uuid column refuses to be compared with anything else.
    if (!canBeId(claims.userId) || !canBeId(claims.tokenId)) {
      return null;
    }
    const [record] = await this.em.execute<UserRecord[]>(USER_BY_TOKEN_SQL, [
      claims.userId,
      claims.issuedAt,
      claims.tokenId,
    ]);
    if (record === undefined) {
      return null;
    }
    const row: UserRow = {
      id: record.id,
      email: record.email,
      name: record.name,
      phone: record.phone,
      passwordHash: record.password_hash,
      createdAt: asDate(record.created_at),
      tokensValidAfter: record.tokens_valid_after === null ? null : asDate(record.tokens_valid_after),
    };
    return { user: userToDomain(row), memberships: membershipsOf(record.memberships) };
  }

  async changePassword(user: User): Promise<void> {
    await this.em.nativeUpdate(
      UserSchema,
      { id: user.id },
      { passwordHash: user.passwordHash, tokensValidAfter: user.tokensValidAfter },
    );
  }

  async revokeToken(claims: TokenClaims): Promise<void> {
    if (!canBeId(claims.userId) || !canBeId(claims.tokenId)) {
      return;
    }
    await this.em
      .createQueryBuilder(RevokedTokenSchema)
      .insert({ tokenId: claims.tokenId, userId: claims.userId, expiresAt: claims.expiresAt })
      .onConflict("tokenId")
      .ignore()
      .execute("run");
  }

  async purgeRevokedTokens(now: Date): Promise<number> {
    return this.em.nativeDelete(RevokedTokenSchema, { expiresAt: { $lte: now } });
  }
}

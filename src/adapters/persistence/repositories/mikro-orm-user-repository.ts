import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { EmailTaken, UserRepository } from "../../../application/ports/user-repository.ts";
import type { Email } from "../../../domain/email.ts";
import { err, ok, type Result } from "../../../domain/result.ts";
import type { User } from "../../../domain/user.ts";
import { UserSchema, userToDomain, userToRow } from "../rows/user-row.ts";
import { canBeId, READ, writing } from "./mikro-orm-support.ts";

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
    const row = await this.em.findOne(UserSchema, { id }, READ);
    return row === null ? null : userToDomain(row);
  }

  async findByEmail(email: Email): Promise<User | null> {
    const row = await this.em.findOne(UserSchema, { email: email.value }, READ);
    return row === null ? null : userToDomain(row);
  }
}

import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { EmailTaken, UserRepository } from "../../../application/ports/user-repository.ts";
import type { Email } from "../../../domain/email.ts";
import { err, ok, type Result } from "../../../domain/result.ts";
import type { User } from "../../../domain/user.ts";
import { UserSchema, userToDomain, userToRow } from "../rows/user-row.ts";
import { canBeId, writing } from "./mikro-orm-support.ts";
import { selectRow } from "./row-sql.ts";

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
}

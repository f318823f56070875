import type { EmailTaken, UserRepository } from "../../application/ports/user-repository.ts";
import type { Email } from "../../domain/email.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import { User } from "../../domain/user.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { insertRow } from "./table-helpers.ts";

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
}

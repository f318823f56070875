import type { Email } from "../../domain/email.ts";
import type { Result } from "../../domain/result.ts";
import type { User } from "../../domain/user.ts";

export type EmailTaken = { readonly type: "email_taken" };

/** Users. Emails are unique, compared case-insensitively (the Email value is already lower case). */
export interface UserRepository {
  /** Adds a new user; `email_taken` when the email exists, without failing the transaction. */
  add(user: User): Promise<Result<void, EmailTaken>>;
  findById(id: string): Promise<User | null>;
  findByEmail(email: Email): Promise<User | null>;
}

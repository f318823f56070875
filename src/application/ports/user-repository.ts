import type { Email } from "../../domain/email.ts";
import type { Result } from "../../domain/result.ts";
import type { Membership } from "../../domain/role.ts";
import type { User } from "../../domain/user.ts";
import type { TokenClaims } from "./token-issuer.ts";

export type EmailTaken = { readonly type: "email_taken" };

/** Users, and the sign-in tokens revoked before they expire. Emails are unique, compared case-insensitively. */
export interface UserRepository {
  /** Adds a new user; `email_taken` when the email exists, without failing the transaction. */
  add(user: User): Promise<Result<void, EmailTaken>>;
  findById(id: string): Promise<User | null>;
  findByEmail(email: Email): Promise<User | null>;
  /**
   * The user a token stands for and their memberships, in one lookup with its revocation: null when the user
   * does not exist, the token was revoked (signed out), or it was issued before the user's tokens were last cut
   * off (a password change). Never cached: a revocation or a removed membership counts from the next call,
   * whichever process made it.
   */
  findByToken(claims: TokenClaims): Promise<{ user: User; memberships: Membership[] } | null>;
  /** Stores the user's new password hash and the instant before which their tokens no longer count. */
  changePassword(user: User): Promise<void>;
  /** Revokes one token until it would have expired anyway. Revoking a token twice changes nothing. */
  revokeToken(claims: TokenClaims): Promise<void>;
  /** Forgets revoked tokens that have expired by `now` (they are refused as expired anyway); how many. */
  purgeRevokedTokens(now: Date): Promise<number>;
}

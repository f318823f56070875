import type { InvalidInput } from "../../domain/invalid-value.ts";
import { Password } from "../../domain/password.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { User } from "../../domain/user.ts";
import type { Clock } from "../ports/clock.ts";
import type { PasswordHasher } from "../ports/password-hasher.ts";
import type { PasswordStrength } from "../ports/password-strength.ts";
import type { TokenIssuer } from "../ports/token-issuer.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { Busy, InvalidCredentials } from "../shared/application-errors.ts";
import { judgeNewPassword } from "./new-password.ts";

export type PasswordChanged = { readonly token: string; readonly expiresAt: Date };

/**
 * A signed-in user changes their password, proving they know the current one. Every token issued before the
 * change stops working, on every instance, and the user gets a new one.
 *
 * Tokens carry whole seconds (`iat`), so the cut-off is the next whole second: every earlier token was issued
 * before it, and the new token is issued at it (up to a second ahead of the clock, which nothing checks).
 */
export class ChangePassword {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"users">;
      readonly clock: Clock;
      readonly hasher: PasswordHasher;
      readonly passwordStrength: PasswordStrength;
      readonly tokens: TokenIssuer;
    },
  ) {}

  async execute(input: {
    readonly user: User;
    /** As typed: any string (an account's password was within the rules when it was set). */
    readonly currentPassword: string;
    /** Within Password's length rules (parsed at the edge), not yet judged for strength. */
    readonly newPassword: Password;
  }): Promise<Result<PasswordChanged, InvalidInput | InvalidCredentials | Busy>> {
    const { user } = input;
    // The new password's rules first: they cost no hash.
    const next = await judgeNewPassword(
      input.newPassword,
      { email: user.email, name: user.name },
      this.deps.passwordStrength,
      "newPassword",
    );
    if (!next.ok) {
      return next;
    }
    const current = Password.parse(input.currentPassword, "currentPassword");
    if (!current.ok) {
      // No account can have a password that breaks the rules.
      return err({ type: "invalid_credentials" });
    }
    const matches = await this.deps.hasher.verify(user.passwordHash, current.value);
    if (!matches.ok) {
      return matches;
    }
    if (!matches.value) {
      return err({ type: "invalid_credentials" });
    }
    const hash = await this.deps.hasher.hash(next.value);
    if (!hash.ok) {
      return hash;
    }
    const cutOff = new Date(Math.floor(this.deps.clock.now().getTime() / 1000) * 1000 + 1000);
    await this.deps.uow.run((r) => r.users.changePassword(user.withNewPassword(hash.value, cutOff)));
    return ok(await this.deps.tokens.issue(user.id, { notBefore: cutOff }));
  }
}

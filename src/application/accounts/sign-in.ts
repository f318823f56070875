import { Email } from "../../domain/email.ts";
import { Password } from "../../domain/password.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { User } from "../../domain/user.ts";
import type { BusinessMembership } from "../ports/member-repository.ts";
import type { PasswordHasher } from "../ports/password-hasher.ts";
import type { TokenIssuer } from "../ports/token-issuer.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { Busy, InvalidCredentials } from "../shared/application-errors.ts";
import { isSetupNeeded } from "./setup-status.ts";

export type SignedIn = {
  readonly user: User;
  readonly businesses: readonly BusinessMembership[];
  readonly setupNeeded: boolean;
  readonly token: string;
  readonly expiresAt: Date;
};

/**
 * A person signs in with email and password. A wrong email and a wrong password give the same answer,
 * in about the same time: an unknown email is checked against a dummy hash.
 */
export class SignIn {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"members" | "paymentConfigs" | "users">;
      readonly hasher: PasswordHasher;
      readonly tokens: TokenIssuer;
    },
  ) {}

  async execute(input: {
    /** As typed: an address that cannot be an account's is a wrong credential, not a validation error. */
    readonly email: string;
    readonly password: string;
  }): Promise<Result<SignedIn, InvalidCredentials | Busy>> {
    const email = Email.parse(input.email);
    const password = Password.parse(input.password);
    if (!password.ok) {
      // No account can have a password that breaks the rules.
      return err({ type: "invalid_credentials" });
    }
    const user = email.ok ? await this.deps.uow.read((r) => r.users.findByEmail(email.value)) : null;
    const matches = await this.deps.hasher.verify(user?.passwordHash ?? null, password.value);
    if (!matches.ok) {
      return matches;
    }
    if (user === null || !matches.value) {
      return err({ type: "invalid_credentials" });
    }
    const { businesses, setupNeeded } = await this.deps.uow.run(async (r) => {
      const memberships = await r.members.listForUser(user.id);
      return { businesses: memberships, setupNeeded: await isSetupNeeded(r, memberships) };
    });
    // A sign-in in the second after a password change still gets a token that counts.
    const { token, expiresAt } = await this.deps.tokens.issue(user.id, { notBefore: user.tokensValidAfter });
    return ok({ user, businesses, setupNeeded, token, expiresAt });
  }
}

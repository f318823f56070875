import { Business } from "../../domain/business.ts";
import type { Email } from "../../domain/email.ts";
import type { InvalidInput } from "../../domain/invalid-value.ts";
import type { Msisdn } from "../../domain/msisdn.ts";
import type { Password } from "../../domain/password.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import { User } from "../../domain/user.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { PasswordHasher } from "../ports/password-hasher.ts";
import type { PasswordStrength } from "../ports/password-strength.ts";
import type { TokenIssuer } from "../ports/token-issuer.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { EmailTaken } from "../ports/user-repository.ts";
import type { Busy } from "../shared/application-errors.ts";
import { judgeNewPassword } from "./new-password.ts";

/** A sign-up, parsed at the edge: the password is within its length rules, not yet judged for strength. */
export type SignUpCommand = {
  readonly email: Email;
  readonly password: Password;
  readonly name: string;
  readonly phone: Msisdn | null;
  /** The first business's name; null: named after the user. */
  readonly businessName: string | null;
};

export type SignedUp = {
  readonly user: User;
  readonly business: Business;
  readonly token: string;
  readonly expiresAt: Date;
};

/**
 * A person signs up: the user and their first business (named `businessName`, or after the user) are
 * created in one transaction, and they are signed in. The password is hashed only once every field passed.
 */
export class SignUp {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"businesses" | "users">;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly hasher: PasswordHasher;
      readonly passwordStrength: PasswordStrength;
      readonly tokens: TokenIssuer;
    },
  ) {}

  async execute(command: SignUpCommand): Promise<Result<SignedUp, InvalidInput | EmailTaken | Busy>> {
    const password = await judgeNewPassword(
      command.password,
      { email: command.email, name: command.name },
      this.deps.passwordStrength,
    );
    if (!password.ok) {
      return password;
    }
    // Refuse a taken email before paying for a hash; the unique index still settles a race.
    if ((await this.deps.uow.read((r) => r.users.findByEmail(command.email))) !== null) {
      return err({ type: "email_taken" });
    }
    const passwordHash = await this.deps.hasher.hash(password.value);
    if (!passwordHash.ok) {
      return passwordHash;
    }
    const now = this.deps.clock.now();
    const user = User.create({
      id: this.deps.ids.next(),
      email: command.email,
      name: command.name,
      phone: command.phone,
      passwordHash: passwordHash.value,
      createdAt: now,
    });
    const business = Business.create({
      id: this.deps.ids.next(),
      ownerId: user.id,
      name: command.businessName ?? command.name,
      createdAt: now,
    });
    const added = await this.deps.uow.run(async (r) => {
      const addedUser = await r.users.add(user);
      if (addedUser.ok) {
        await r.businesses.add(business);
      }
      return addedUser;
    });
    if (!added.ok) {
      return added;
    }
    const { token, expiresAt } = await this.deps.tokens.issue(user.id);
    return ok({ user, business, token, expiresAt });
  }
}

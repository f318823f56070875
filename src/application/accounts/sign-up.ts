import { Business } from "../../domain/business.ts";
import { Email } from "../../domain/email.ts";
import { type InvalidInput, validateAll } from "../../domain/invalid-value.ts";
import { Msisdn } from "../../domain/msisdn.ts";
import type { Password } from "../../domain/password.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import { requiredText } from "../../domain/text.ts";
import { User } from "../../domain/user.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { PasswordHasher } from "../ports/password-hasher.ts";
import type { PasswordStrength } from "../ports/password-strength.ts";
import type { TokenIssuer } from "../ports/token-issuer.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { EmailTaken } from "../ports/user-repository.ts";
import type { Busy } from "../shared/application-errors.ts";
import { parseNewPassword } from "./new-password.ts";

export type SignUpInput = {
  readonly email: unknown;
  readonly password: unknown;
  readonly name: unknown;
  readonly phone?: unknown;
  readonly businessName?: unknown;
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

  async execute(input: SignUpInput): Promise<Result<SignedUp, InvalidInput | EmailTaken | Busy>> {
    const absent = (value: unknown) => value === undefined || value === null;
    const email = Email.parse(input.email);
    const name = requiredText(input.name, "name", User.NAME_MAX);
    const chosen = await parseNewPassword(
      input.password,
      { email: email.ok ? email.value : null, name: name.ok ? name.value : null },
      this.deps.passwordStrength,
    );
    let passwordField: Result<Password, InvalidInput>;
    if (chosen.ok) {
      passwordField = chosen;
    } else if (chosen.error.type === "busy") {
      return err(chosen.error);
    } else {
      passwordField = err(chosen.error);
    }
    const checked = validateAll({
      email,
      password: passwordField,
      name,
      phone: absent(input.phone) ? ok(null) : Msisdn.parse(input.phone),
      businessName: absent(input.businessName)
        ? ok(null)
        : requiredText(input.businessName, "businessName", Business.NAME_MAX),
    });
    if (!checked.ok) {
      return checked;
    }
    const { password, businessName } = checked.value;
    // Refuse a taken email before paying for a hash; the unique index still settles a race.
    if ((await this.deps.uow.read((r) => r.users.findByEmail(checked.value.email))) !== null) {
      return err({ type: "email_taken" });
    }
    const passwordHash = await this.deps.hasher.hash(password);
    if (!passwordHash.ok) {
      return passwordHash;
    }
    const now = this.deps.clock.now();
    const user = User.create({
      id: this.deps.ids.next(),
      email: input.email,
      name: checked.value.name,
      phone: input.phone,
      passwordHash: passwordHash.value,
      createdAt: now,
    });
    if (!user.ok) {
      return user;
    }
    const business = Business.create({
      id: this.deps.ids.next(),
      ownerId: user.value.id,
      name: businessName ?? checked.value.name,
      createdAt: now,
    });
    if (!business.ok) {
      return business;
    }
    const added = await this.deps.uow.run(async (r) => {
      const addedUser = await r.users.add(user.value);
      if (addedUser.ok) {
        await r.businesses.add(business.value);
      }
      return addedUser;
    });
    if (!added.ok) {
      return added;
    }
    const { token, expiresAt } = await this.deps.tokens.issue(user.value.id);
    return ok({ user: user.value, business: business.value, token, expiresAt });
  }
}

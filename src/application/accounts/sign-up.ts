import { Business } from "../../domain/business.ts";
import type { Email } from "../../domain/email.ts";
import { type InvalidInput, invalid } from "../../domain/invalid-value.ts";
import type { Msisdn } from "../../domain/msisdn.ts";
import type { Password } from "../../domain/password.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { Role } from "../../domain/role.ts";
import { User } from "../../domain/user.ts";
import type { AccessSecrets } from "../ports/access-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { PasswordHasher } from "../ports/password-hasher.ts";
import type { PasswordStrength } from "../ports/password-strength.ts";
import type { TokenIssuer } from "../ports/token-issuer.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import type { EmailTaken } from "../ports/user-repository.ts";
import type { Busy } from "../shared/application-errors.ts";
import { acceptInvitation, openInvitation } from "../shared/invitations.ts";
import { judgeNewPassword } from "./new-password.ts";

/** The invitation of a sign-up is unknown, expired, spent, or for another email. */
const INVITATION_REFUSED = invalid(
  "invitation",
  "is not a pending invitation for this email: it may have expired or been used; ask for a new one",
);

/** Thrown inside the transaction to undo the new user when the invitation was spent meanwhile. */
class InvitationGone extends Error {}

/** A sign-up, parsed at the edge: the password is within its length rules, not yet judged for strength. */
export type SignUpCommand = {
  readonly email: Email;
  readonly password: Password;
  readonly name: string;
  readonly phone: Msisdn | null;
  /** The first business's name; null: named after the user. */
  readonly businessName: string | null;
  /**
   * The token of an invitation link: the user joins that business with the invitation's role and gets no
   * business of their own. It must be for this email, pending and unexpired.
   */
  readonly invitation?: string | null;
};

export type SignedUp = {
  readonly user: User;
  /** The business created for them, or the one they joined by invitation. */
  readonly business: Business;
  /** Their role in it: owner of their own; the invitation's role otherwise. */
  readonly role: Role;
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
      readonly uow: UnitOfWork<"businesses" | "users" | "invitations" | "members">;
      readonly secrets: AccessSecrets;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly hasher: PasswordHasher;
      readonly passwordStrength: PasswordStrength;
      readonly tokens: TokenIssuer;
    },
  ) {}

  async execute(command: SignUpCommand): Promise<Result<SignedUp, InvalidInput | EmailTaken | Busy>> {
    const invitationHash =
      command.invitation === undefined || command.invitation === null
        ? null
        : this.deps.secrets.hashOf(command.invitation);
    if (invitationHash !== null) {
      const open = await this.deps.uow.read((r) =>
        openInvitation(r, invitationHash, command.email, this.deps.clock.now()),
      );
      if (!open.ok) {
        return err(INVITATION_REFUSED);
      }
    }
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
    let added: Result<{ business: Business; role: Role }, EmailTaken | InvalidInput>;
    try {
      added = await this.deps.uow.run(async (r) => {
        const addedUser = await r.users.add(user);
        if (!addedUser.ok) {
          return addedUser;
        }
        if (invitationHash === null) {
          const business = Business.create({
            id: this.deps.ids.next(),
            ownerId: user.id,
            name: command.businessName ?? command.name,
            createdAt: now,
          });
          await r.businesses.add(business);
          return ok({ business, role: "owner" as const });
        }
        const invitation = await openInvitation(r, invitationHash, command.email, now);
        const joined = invitation.ok ? await acceptInvitation(r, invitation.value, user.id, now) : invitation;
        const business = invitation.ok ? await r.businesses.findById(invitation.value.businessId) : null;
        if (!joined.ok || !invitation.ok || business === null) {
          // Spent or withdrawn since it was checked: the user is not created either.
          throw new InvitationGone();
        }
        return ok({ business, role: invitation.value.role });
      });
    } catch (error) {
      if (error instanceof InvitationGone) {
        return err(INVITATION_REFUSED);
      }
      throw error;
    }
    if (!added.ok) {
      return added;
    }
    const { token, expiresAt } = await this.deps.tokens.issue(user.id);
    return ok({ user, business: added.value.business, role: added.value.role, token, expiresAt });
  }
}

import type { Email } from "../../domain/email.ts";
import type { InvalidInput } from "../../domain/invalid-value.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { InvitableRole } from "../../domain/role.ts";
import type { AccessSecrets } from "../ports/access-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { Invitation } from "../ports/invitation-repository.ts";
import type { Member } from "../ports/member-repository.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { accessibleBusiness } from "../shared/accessible-business.ts";
import { type Access, personId } from "../shared/actor.ts";
import { type NotFound, notFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";
import { INVITATION_DAYS } from "../shared/invitations.ts";

/** A member added at once, or an invitation (with its token, shown this once) for an email with no account. */
export type Added =
  | { readonly kind: "member"; readonly member: Member }
  | { readonly kind: "invitation"; readonly invitation: Invitation; readonly token: string };

/**
 * An owner adds someone by email: a user with that email joins at once with the role (one who already belongs
 * keeps the role they have: change it with ChangeMemberRole); an unknown email gets an invitation, bound to it,
 * that expires after INVITATION_DAYS. Only the token's hash is stored.
 */
export class AddMember {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"businesses" | "members" | "users" | "invitations">;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly secrets: AccessSecrets;
    },
  ) {}

  execute(input: {
    readonly access: Access;
    readonly businessId: string;
    readonly email: Email;
    readonly role: InvitableRole;
  }): Promise<Result<Added, NotFound | Forbidden | InvalidInput>> {
    return this.deps.uow.run(async (r) => {
      const business = await accessibleBusiness(r, input.access, input.businessId);
      if (!business.ok) {
        return business;
      }
      const now = this.deps.clock.now();
      const user = await r.users.findByEmail(input.email);
      if (user !== null) {
        await r.members.add({
          businessId: business.value.id,
          userId: user.id,
          role: input.role,
          addedAt: now,
        });
        const member = await r.members.find(business.value.id, user.id);
        return member === null ? err(notFound("member")) : ok({ kind: "member" as const, member });
      }
      const token = this.deps.secrets.newInvitationToken();
      const invitation: Invitation = {
        id: this.deps.ids.next(),
        businessId: business.value.id,
        email: input.email,
        role: input.role,
        tokenHash: token.hash,
        invitedBy: personId(input.access.actor),
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITATION_DAYS * 24 * 3600 * 1000),
      };
      await r.invitations.add(invitation);
      return ok({ kind: "invitation" as const, invitation, token: token.secret });
    });
  }
}

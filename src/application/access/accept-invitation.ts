import { err, ok, type Result } from "../../domain/result.ts";
import type { User } from "../../domain/user.ts";
import type { AccessSecrets } from "../ports/access-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { BusinessMembership } from "../ports/member-repository.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { acceptInvitation, type InvitationInvalid, openInvitation } from "../shared/invitations.ts";

/**
 * A signed-in user accepts an invitation by its token: only the user whose email it is bound to may, before it
 * expires, once. Any other token (unknown, expired, spent, someone else's) is `invitation_invalid`, which says
 * nothing about which.
 */
export class AcceptInvitationAsUser {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"invitations" | "members">;
      readonly secrets: AccessSecrets;
      readonly clock: Clock;
    },
  ) {}

  execute(input: {
    readonly user: User;
    readonly token: string;
  }): Promise<Result<BusinessMembership, InvitationInvalid>> {
    const hash = this.deps.secrets.hashOf(input.token);
    return this.deps.uow.run(async (r) => {
      const now = this.deps.clock.now();
      const invitation = await openInvitation(r, hash, input.user.email, now);
      if (!invitation.ok) {
        return invitation;
      }
      const accepted = await acceptInvitation(r, invitation.value, input.user.id, now);
      if (!accepted.ok) {
        return accepted;
      }
      const joined = (await r.members.listForUser(input.user.id)).find(
        (m) => m.business.id === invitation.value.businessId,
      );
      return joined === undefined ? err({ type: "invitation_invalid" as const }) : ok(joined);
    });
  }
}

import type { Email } from "../../domain/email.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import type { Invitation } from "../ports/invitation-repository.ts";
import type { Repositories } from "../ports/unit-of-work.ts";

/** How long an invitation link works: seven days from its creation. */
export const INVITATION_DAYS = 7;

/** An invitation token that is unknown, expired, accepted already, or meant for another email. */
export type InvitationInvalid = { readonly type: "invitation_invalid" };

/** The pending, unexpired invitation with this token hash, if it is meant for `email`. */
export async function openInvitation(
  r: Pick<Repositories, "invitations">,
  tokenHash: string,
  email: Email,
  now: Date,
): Promise<Result<Invitation, InvitationInvalid>> {
  const invitation = await r.invitations.findByTokenHash(tokenHash);
  if (
    invitation === null ||
    invitation.expiresAt.getTime() <= now.getTime() ||
    !invitation.email.equals(email)
  ) {
    return err({ type: "invitation_invalid" });
  }
  return ok(invitation);
}

/**
 * The user joins the invitation's business with its role, and the invitation is spent. A user who already
 * belongs to the business keeps the role they have. A concurrent acceptance of the same invitation loses.
 */
export async function acceptInvitation(
  r: Pick<Repositories, "invitations" | "members">,
  invitation: Invitation,
  userId: string,
  now: Date,
): Promise<Result<void, InvitationInvalid>> {
  if (!(await r.invitations.markAccepted(invitation.id, userId, now))) {
    return err({ type: "invitation_invalid" });
  }
  await r.members.add({ businessId: invitation.businessId, userId, role: invitation.role, addedAt: now });
  return ok(undefined);
}

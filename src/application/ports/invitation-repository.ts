import type { Email } from "../../domain/email.ts";
import type { InvitableRole } from "../../domain/role.ts";

/** An invitation to join a business, bound to an email. Only the hash of its token is stored. */
export type Invitation = {
  readonly id: string;
  readonly businessId: string;
  readonly email: Email;
  readonly role: InvitableRole;
  readonly tokenHash: string;
  readonly invitedBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
};

/** Invitations not yet accepted. An accepted one is never found again by its token. */
export interface InvitationRepository {
  add(invitation: Invitation): Promise<void>;
  /** The unaccepted invitation with this token hash (expired ones included: the caller decides), or null. */
  findByTokenHash(tokenHash: string): Promise<Invitation | null>;
  /** The business's unaccepted, unexpired invitations, newest first. */
  listPending(businessId: string, now: Date): Promise<Invitation[]>;
  /** Marks it accepted by the user; false when it was accepted already (a concurrent acceptance won). */
  markAccepted(id: string, userId: string, at: Date): Promise<boolean>;
  /** Withdraws a pending invitation of the business; false when there is none. */
  remove(businessId: string, id: string): Promise<boolean>;
}

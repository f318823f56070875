import type { Invitation, InvitationRepository } from "../../application/ports/invitation-repository.ts";
import type { InMemoryTables } from "./in-memory-tables.ts";
import { assertUnique, insertRow, newestFirst } from "./table-helpers.ts";

const strip = ({
  acceptedAt: _accepted,
  ...invitation
}: Invitation & { acceptedAt: Date | null }): Invitation => invitation;

export class InMemoryInvitationRepository implements InvitationRepository {
  constructor(private readonly tables: InMemoryTables) {}

  async add(invitation: Invitation): Promise<void> {
    const row = { ...invitation, acceptedAt: null };
    assertUnique(this.tables.invitations, row, "tokenHash", "invitations_token_hash_unique");
    insertRow(this.tables.invitations, row, "invitations");
  }

  async findByTokenHash(tokenHash: string): Promise<Invitation | null> {
    for (const row of this.tables.invitations.values()) {
      if (row.tokenHash === tokenHash && row.acceptedAt === null) {
        return strip(row);
      }
    }
    return null;
  }

  async listPending(businessId: string, now: Date): Promise<Invitation[]> {
    return newestFirst(this.tables.invitations.values())
      .filter(
        (row) =>
          row.businessId === businessId && row.acceptedAt === null && row.expiresAt.getTime() > now.getTime(),
      )
      .map(strip);
  }

  async markAccepted(id: string, _userId: string, at: Date): Promise<boolean> {
    const row = this.tables.invitations.get(id);
    if (row === undefined || row.acceptedAt !== null) {
      return false;
    }
    this.tables.invitations.set(id, { ...row, acceptedAt: at });
    return true;
  }

  async remove(businessId: string, id: string): Promise<boolean> {
    const row = this.tables.invitations.get(id);
    if (row === undefined || row.businessId !== businessId || row.acceptedAt !== null) {
      return false;
    }
    this.tables.invitations.delete(id);
    return true;
  }
}

import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { Invitation, InvitationRepository } from "../../../application/ports/invitation-repository.ts";
import { InvitationSchema, invitationToDomain, invitationToRow } from "../rows/invitation-row.ts";
import { canBeId, READ } from "./mikro-orm-support.ts";
import { insertRow } from "./row-sql.ts";

export class MikroOrmInvitationRepository implements InvitationRepository {
  constructor(private readonly em: SqlEntityManager) {}

  async add(invitation: Invitation): Promise<void> {
    await insertRow(this.em, InvitationSchema, invitationToRow(invitation));
  }

  async findByTokenHash(tokenHash: string): Promise<Invitation | null> {
    const row = await this.em.findOne(InvitationSchema, { tokenHash, acceptedAt: null }, READ);
    return row === null ? null : invitationToDomain(row);
  }

  async listPending(businessId: string, now: Date): Promise<Invitation[]> {
    const rows = await this.em.find(
      InvitationSchema,
      { businessId, acceptedAt: null, expiresAt: { $gt: now } },
      { ...READ, orderBy: { id: "desc" } },
    );
    return rows.map(invitationToDomain);
  }

  async markAccepted(id: string, userId: string, at: Date): Promise<boolean> {
    const updated = await this.em.nativeUpdate(
      InvitationSchema,
      { id, acceptedAt: null },
      { acceptedAt: at, acceptedBy: userId },
    );
    return updated === 1;
  }

  async remove(businessId: string, id: string): Promise<boolean> {
    if (!canBeId(id)) {
      return false;
    }
    return (await this.em.nativeDelete(InvitationSchema, { id, businessId, acceptedAt: null })) === 1;
  }
}

import { EntitySchema } from "@mikro-orm/core";
import type { Invitation } from "../../../application/ports/invitation-repository.ts";
import { Email } from "../../../domain/email.ts";
import { INVITABLE_ROLES, type InvitableRole } from "../../../domain/role.ts";

/** An invitation to a business, bound to an email; only its token's SHA-256 is stored. */
export interface InvitationRow {
  id: string;
  businessId: string;
  email: string;
  role: InvitableRole;
  tokenHash: string;
  invitedBy: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedBy: string | null;
}

export const InvitationSchema = new EntitySchema<InvitationRow>({
  name: "InvitationRow",
  tableName: "invitations",
  indexes: [{ name: "invitations_business_id_index", properties: ["businessId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    businessId: { kind: "m:1", entity: "BusinessRow", mapToPk: true, fieldName: "business_id" },
    email: { type: "text" },
    role: { enum: true, items: () => [...INVITABLE_ROLES], type: "text" },
    tokenHash: { type: "text", unique: "invitations_token_hash_unique" },
    invitedBy: { kind: "m:1", entity: "UserRow", mapToPk: true, fieldName: "invited_by" },
    createdAt: { type: "datetime", columnType: "timestamptz" },
    expiresAt: { type: "datetime", columnType: "timestamptz" },
    acceptedAt: { type: "datetime", columnType: "timestamptz", nullable: true },
    acceptedBy: { type: "uuid", nullable: true },
  },
});

export const invitationToRow = (invitation: Invitation): InvitationRow => ({
  ...invitation,
  email: invitation.email.value,
  acceptedAt: null,
  acceptedBy: null,
});

export const invitationToDomain = (row: InvitationRow): Invitation => ({
  id: row.id,
  businessId: row.businessId,
  email: Email.restore(row.email),
  role: row.role,
  tokenHash: row.tokenHash,
  invitedBy: row.invitedBy,
  createdAt: row.createdAt,
  expiresAt: row.expiresAt,
});

import { EntitySchema } from "@mikro-orm/core";
import { ROLES, type Role } from "../../../domain/role.ts";

/** A user's membership of a business, with their role. Read with the bearer's user on every request. */
export interface BusinessMemberRow {
  businessId: string;
  userId: string;
  role: Role;
  addedAt: Date;
}

export const BusinessMemberSchema = new EntitySchema<BusinessMemberRow>({
  name: "BusinessMemberRow",
  tableName: "business_members",
  indexes: [{ name: "business_members_user_id_index", properties: ["userId"] }],
  properties: {
    businessId: {
      kind: "m:1",
      entity: "BusinessRow",
      mapToPk: true,
      fieldName: "business_id",
      primary: true,
    },
    userId: { kind: "m:1", entity: "UserRow", mapToPk: true, fieldName: "user_id", primary: true },
    role: { enum: true, items: () => [...ROLES], type: "text" },
    addedAt: { type: "datetime", columnType: "timestamptz" },
  },
});

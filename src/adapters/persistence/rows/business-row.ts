import { EntitySchema } from "@mikro-orm/core";
import { Business } from "../../../domain/business.ts";

export interface BusinessRow {
  id: string;
  ownerId: string;
  name: string;
  createdAt: Date;
}

export const BusinessSchema = new EntitySchema<BusinessRow>({
  name: "BusinessRow",
  tableName: "businesses",
  indexes: [{ name: "businesses_owner_id_id_index", properties: ["ownerId", "id"] }],
  properties: {
    id: { type: "uuid", primary: true },
    ownerId: { kind: "m:1", entity: "UserRow", mapToPk: true, fieldName: "owner_id" },
    name: { type: "text" },
    createdAt: { type: "datetime", columnType: "timestamptz" },
  },
});

export const businessToRow = (business: Business): BusinessRow => business.snapshot();

export const businessToDomain = (row: BusinessRow): Business => Business.restore(row);

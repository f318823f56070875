import { EntitySchema } from "@mikro-orm/core";
import { Email } from "../../../domain/email.ts";
import { Msisdn } from "../../../domain/msisdn.ts";
import { User } from "../../../domain/user.ts";

export interface UserRow {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  passwordHash: string;
  createdAt: Date;
  tokensValidAfter: Date | null;
}

export const UserSchema = new EntitySchema<UserRow>({
  name: "UserRow",
  tableName: "users",
  properties: {
    id: { type: "uuid", primary: true },
    email: { type: "text", unique: "users_email_unique" },
    name: { type: "text" },
    phone: { type: "text", nullable: true },
    passwordHash: { type: "text" },
    createdAt: { type: "datetime", columnType: "timestamptz" },
    tokensValidAfter: { type: "datetime", columnType: "timestamptz", nullable: true },
  },
});

export const userToRow = (user: User): UserRow => {
  const s = user.snapshot();
  return { ...s, email: s.email.value, phone: s.phone?.value ?? null };
};

export const userToDomain = (row: UserRow): User =>
  User.restore({
    ...row,
    email: Email.restore(row.email),
    phone: row.phone === null ? null : Msisdn.restore(row.phone),
  });

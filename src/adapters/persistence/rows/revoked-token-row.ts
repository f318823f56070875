import { EntitySchema } from "@mikro-orm/core";

/**
 * A sign-in token revoked before its expiry (signed out), by its `jti`. Read with the bearer's user on every
 * request; purged once the token would have expired anyway.
 */
export interface RevokedTokenRow {
  tokenId: string;
  userId: string;
  expiresAt: Date;
}

export const RevokedTokenSchema = new EntitySchema<RevokedTokenRow>({
  name: "RevokedTokenRow",
  tableName: "revoked_tokens",
  indexes: [{ name: "revoked_tokens_expires_at_index", properties: ["expiresAt"] }],
  properties: {
    tokenId: { type: "uuid", primary: true, fieldName: "token_id" },
    userId: { kind: "m:1", entity: "UserRow", mapToPk: true, fieldName: "user_id", deleteRule: "cascade" },
    expiresAt: { type: "datetime", columnType: "timestamptz" },
  },
});

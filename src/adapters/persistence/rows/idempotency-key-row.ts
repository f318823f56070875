import { EntitySchema } from "@mikro-orm/core";

export const IDEMPOTENCY_KEY_STATES = ["in_progress", "completed"] as const;
export type IdempotencyKeyState = (typeof IDEMPOTENCY_KEY_STATES)[number];

/**
 * One Idempotency-Key of one caller (a user, or an API key) on one route. The primary key is what makes a claim atomic: the database
 * itself admits one row per (user, route, key). The response is kept as the exact text that was sent.
 */
export interface IdempotencyKeyRow {
  userId: string;
  route: string;
  key: string;
  requestHash: string;
  state: IdempotencyKeyState;
  responseStatus: number | null;
  responseContentType: string | null;
  responseBody: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export const IdempotencyKeySchema = new EntitySchema<IdempotencyKeyRow>({
  name: "IdempotencyKeyRow",
  tableName: "idempotency_keys",
  indexes: [{ name: "idempotency_keys_expires_at_index", properties: ["expiresAt"] }],
  checks: [
    {
      name: "idempotency_keys_completed_has_response",
      expression: "state = 'in_progress' or (response_status is not null and response_body is not null)",
    },
  ],
  properties: {
    // The caller: a user's id or an API key's (no foreign key, since it may be either).
    userId: { type: "uuid", fieldName: "user_id", primary: true },
    route: { type: "text", primary: true },
    key: { type: "text", primary: true },
    requestHash: { type: "text" },
    state: { enum: true, items: () => [...IDEMPOTENCY_KEY_STATES], type: "text" },
    responseStatus: { type: "integer", nullable: true },
    responseContentType: { type: "text", nullable: true },
    responseBody: { type: "text", nullable: true },
    createdAt: { type: "datetime", columnType: "timestamptz" },
    expiresAt: { type: "datetime", columnType: "timestamptz" },
  },
});

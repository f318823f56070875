import { EntitySchema } from "@mikro-orm/core";

/**
 * rate-limiter-flexible's PostgreSQL store (RateLimiterPostgres), mapped here only so that the migration creates
 * it: the library is told the table exists and never creates it. Its shape is the library's own `CREATE TABLE`
 * (key varchar(255) primary key, points integer not null default 0, expire bigint): `expire` is the window's end
 * in milliseconds since the epoch, null for a count that never expires. PayMe never reads it through the ORM.
 */
export interface RateLimitRow {
  key: string;
  points: number;
  expire: string | null;
}

export const RATE_LIMITS_TABLE = "rate_limits";

export const RateLimitSchema = new EntitySchema<RateLimitRow>({
  name: "RateLimitRow",
  tableName: RATE_LIMITS_TABLE,
  properties: {
    key: { type: "string", columnType: "varchar(255)", primary: true },
    points: { type: "integer", default: 0 },
    expire: { type: "bigint", nullable: true },
  },
});

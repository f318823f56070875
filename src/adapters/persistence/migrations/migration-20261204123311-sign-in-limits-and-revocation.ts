import { Migration } from "@mikro-orm/migrations";

/**
 * Sign-in limits shared by every instance, and token revocation:
 * - `rate_limits`: rate-limiter-flexible's PostgreSQL store, exactly as the library would create it (it is told
 *   not to);
 * - `revoked_tokens`: signed-out tokens by `jti`, until they expire;
 * - `users.tokens_valid_after`: tokens issued before it (a password change) are refused. Existing users get null.
 */
export class Migration20261204123311SignInLimitsAndRevocation extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "rate_limits" ("key" varchar(255) not null, "points" int not null default 0, "expire" bigint null, constraint "rate_limits_pkey" primary key ("key"));`,
    );

    this.addSql(
      `create table "revoked_tokens" ("token_id" uuid not null, "user_id" uuid not null, "expires_at" timestamptz not null, constraint "revoked_tokens_pkey" primary key ("token_id"));`,
    );
    this.addSql(`create index "revoked_tokens_expires_at_index" on "revoked_tokens" ("expires_at");`);

    this.addSql(
      `alter table "revoked_tokens" add constraint "revoked_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`alter table "users" add column "tokens_valid_after" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "users" drop column "tokens_valid_after";`);
    this.addSql(`drop table if exists "revoked_tokens" cascade;`);
    this.addSql(`drop table if exists "rate_limits" cascade;`);
  }
}

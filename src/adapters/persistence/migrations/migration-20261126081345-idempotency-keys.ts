import { Migration } from "@mikro-orm/migrations";

/** Idempotency keys: one row per (user, route, key), with the saved response and an expiry to purge by. */
export class Migration20261126081345IdempotencyKeys extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "idempotency_keys" ("user_id" uuid not null, "route" text not null, "key" text not null, "request_hash" text not null, "state" text check ("state" in ('in_progress', 'completed')) not null, "response_status" int null, "response_content_type" text null, "response_body" text null, "created_at" timestamptz not null, "expires_at" timestamptz not null, constraint "idempotency_keys_pkey" primary key ("user_id", "route", "key"), constraint idempotency_keys_completed_has_response check (state = 'in_progress' or (response_status is not null and response_body is not null)));`,
    );
    this.addSql(`create index "idempotency_keys_expires_at_index" on "idempotency_keys" ("expires_at");`);

    this.addSql(
      `alter table "idempotency_keys" add constraint "idempotency_keys_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`,
    );
  }
}

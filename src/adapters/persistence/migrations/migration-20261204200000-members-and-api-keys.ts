import { Migration } from "@mikro-orm/migrations";

/**
 * Staff and programs ("API keys and staff"):
 * - `business_members`: who belongs to which business with which role, backfilled with each business's owner;
 * - `api_keys`: business API keys, stored as SHA-256 hashes and found by an indexed prefix;
 * - `invitations`: invitations to join a business, bound to an email, by the SHA-256 of their token;
 * - idempotency keys are scoped to the caller, a user or an API key: their foreign key to users goes.
 */
export class Migration20261204200000MembersAndApiKeys extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "business_members" ("business_id" uuid not null, "user_id" uuid not null, "role" text check ("role" in ('owner', 'manager', 'cashier')) not null, "added_at" timestamptz not null, constraint "business_members_pkey" primary key ("business_id", "user_id"));`,
    );
    this.addSql(`create index "business_members_user_id_index" on "business_members" ("user_id");`);
    this.addSql(
      `alter table "business_members" add constraint "business_members_business_id_foreign" foreign key ("business_id") references "businesses" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "business_members" add constraint "business_members_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`,
    );
    this.addSql(
      `insert into "business_members" ("business_id", "user_id", "role", "added_at") select "id", "owner_id", 'owner', "created_at" from "businesses";`,
    );

    this.addSql(
      `create table "api_keys" ("id" uuid not null, "business_id" uuid not null, "name" text not null, "prefix" text not null, "lookup" text not null, "secret_hash" text not null, "scopes" jsonb not null, "created_by" uuid not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_keys_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "api_keys_lookup_index" on "api_keys" ("lookup");`);
    this.addSql(`create index "api_keys_business_id_index" on "api_keys" ("business_id");`);
    this.addSql(
      `alter table "api_keys" add constraint "api_keys_business_id_foreign" foreign key ("business_id") references "businesses" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "api_keys" add constraint "api_keys_created_by_foreign" foreign key ("created_by") references "users" ("id") on update cascade;`,
    );

    this.addSql(
      `create table "invitations" ("id" uuid not null, "business_id" uuid not null, "email" text not null, "role" text check ("role" in ('manager', 'cashier')) not null, "token_hash" text not null, "invited_by" uuid not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "accepted_at" timestamptz null, "accepted_by" uuid null, constraint "invitations_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "invitations_business_id_index" on "invitations" ("business_id");`);
    this.addSql(
      `alter table "invitations" add constraint "invitations_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(
      `alter table "invitations" add constraint "invitations_business_id_foreign" foreign key ("business_id") references "businesses" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "invitations" add constraint "invitations_invited_by_foreign" foreign key ("invited_by") references "users" ("id") on update cascade;`,
    );

    this.addSql(`alter table "idempotency_keys" drop constraint "idempotency_keys_user_id_foreign";`);
  }

  override async down(): Promise<void> {
    // Keys kept for API keys name no user: they go, as they would have expired within 24 hours.
    this.addSql(
      `delete from "idempotency_keys" k where not exists (select 1 from "users" u where u."id" = k."user_id");`,
    );
    this.addSql(
      `alter table "idempotency_keys" add constraint "idempotency_keys_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`,
    );
    this.addSql(`drop table if exists "invitations" cascade;`);
    this.addSql(`drop table if exists "api_keys" cascade;`);
    this.addSql(`drop table if exists "business_members" cascade;`);
  }
}

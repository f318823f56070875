import { Migration } from "@mikro-orm/migrations";

/** Daraja OAuth tokens shared by the instances that use one app, sealed, one row per app. */
export class Migration20261204194500DarajaTokens extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "daraja_tokens" ("app_key" text not null, "sealed_token" text not null, "expires_at" timestamptz not null, "updated_at" timestamptz not null, constraint "daraja_tokens_pkey" primary key ("app_key"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "daraja_tokens" cascade;`);
  }
}

import { Migration } from "@mikro-orm/migrations";

/** The log of admitted STK pushes, which the push limits count (rows older than an hour are purged). */
export class Migration20261204124511PushLog extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "stk_push_log" ("id" uuid not null, "kind" text check ("kind" in ('wallet', 'sale', 'verification')) not null, "user_id" uuid not null, "business_id" uuid null, "phone" text not null, "created_at" timestamptz not null, constraint "stk_push_log_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "stk_push_log_business_phone_index" on "stk_push_log" ("business_id", "phone", "created_at");`,
    );
    this.addSql(
      `create index "stk_push_log_business_index" on "stk_push_log" ("business_id", "created_at");`,
    );
    this.addSql(
      `create index "stk_push_log_user_index" on "stk_push_log" ("user_id", "kind", "created_at");`,
    );
    this.addSql(`create index "stk_push_log_created_at_index" on "stk_push_log" ("created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "stk_push_log" cascade;`);
  }
}

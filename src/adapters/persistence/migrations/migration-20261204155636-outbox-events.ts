import { Migration } from "@mikro-orm/migrations";

/** The outbox: events recorded in the transaction of the change they tell of, a business's in order. */
export class Migration20261204155636OutboxEvents extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "outbox_events" ("id" uuid not null, "business_id" uuid not null, "type" text not null, "payload" jsonb not null, "created_at" timestamptz not null, constraint "outbox_events_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "outbox_events_business_created_at_index" on "outbox_events" ("business_id", "created_at");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "outbox_events" cascade;`);
  }
}

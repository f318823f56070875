import { Migration } from "@mikro-orm/migrations";

/**
 * Webhooks: each business's endpoints (sealed signing secrets), the delivery queue (one row per event and
 * endpoint, claimed with FOR UPDATE SKIP LOCKED and leased), every attempt, and on the outbox the mark of the
 * fan-out, with the indexes the queue and the retention purge read by.
 */
export class Migration20261204193000Webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "webhook_endpoints" ("id" uuid not null, "business_id" uuid not null, "url" text not null, "events" jsonb not null, "description" text null, "enabled" boolean not null, "disabled_reason" text null, "secret_sealed" text not null, "previous_secret_sealed" text null, "previous_secret_expires_at" timestamptz null, "failing_since" timestamptz null, "created_at" timestamptz not null, constraint "webhook_endpoints_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "webhook_endpoints_business_id_index" on "webhook_endpoints" ("business_id");`);

    this.addSql(
      `create table "webhook_deliveries" ("id" uuid not null, "event_id" uuid not null, "endpoint_id" uuid not null, "business_id" uuid not null, "status" text check ("status" in ('pending', 'delivered', 'failed')) not null, "attempts" int not null, "schedule_step" int not null, "next_attempt_at" timestamptz not null, "lease_until" timestamptz null, "created_at" timestamptz not null, constraint "webhook_deliveries_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_deliveries_endpoint_id_index" on "webhook_deliveries" ("endpoint_id");`,
    );
    this.addSql(
      `create index "webhook_deliveries_due_index" on "webhook_deliveries" ("next_attempt_at") where "status" = 'pending';`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_event_endpoint_unique" unique ("event_id", "endpoint_id");`,
    );

    this.addSql(
      `create table "webhook_attempts" ("id" uuid not null, "delivery_id" uuid not null, "event_id" uuid not null, "endpoint_id" uuid not null, "attempt" int not null, "status" text check ("status" in ('delivered', 'failed')) not null, "response_status" int null, "duration_ms" int null, "error" text null, "at" timestamptz not null, constraint "webhook_attempts_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "webhook_attempts_event_id_index" on "webhook_attempts" ("event_id");`);
    this.addSql(
      `create index "webhook_attempts_endpoint_id_at_index" on "webhook_attempts" ("endpoint_id", "at");`,
    );

    this.addSql(
      `alter table "webhook_endpoints" add constraint "webhook_endpoints_business_id_foreign" foreign key ("business_id") references "businesses" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_event_id_foreign" foreign key ("event_id") references "outbox_events" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoints" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_attempts" add constraint "webhook_attempts_delivery_id_foreign" foreign key ("delivery_id") references "webhook_deliveries" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`alter table "outbox_events" add column "dispatched_at" timestamptz null;`);
    this.addSql(`create index "outbox_events_created_at_index" on "outbox_events" ("created_at");`);
    this.addSql(
      `create index "outbox_events_undispatched_index" on "outbox_events" ("created_at") where "dispatched_at" is null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "outbox_events_undispatched_index";`);
    this.addSql(`drop index if exists "outbox_events_created_at_index";`);
    this.addSql(`alter table "outbox_events" drop column if exists "dispatched_at";`);
    this.addSql(`drop table if exists "webhook_attempts" cascade;`);
    this.addSql(`drop table if exists "webhook_deliveries" cascade;`);
    this.addSql(`drop table if exists "webhook_endpoints" cascade;`);
  }
}

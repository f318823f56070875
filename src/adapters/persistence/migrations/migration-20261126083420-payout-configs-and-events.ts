import { Migration } from "@mikro-orm/migrations";

/**
 * Business payouts by B2C: each business's payout configs (sealed initiator password, one active per business),
 * the journal of what PayMe did about each payout, and on payouts the config that sent them, the queue timeout
 * and the Transaction Status queries that settle a payout whose result never came.
 */
export class Migration20261126083420PayoutConfigsAndEvents extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "payout_configs" ("id" uuid not null, "business_id" uuid not null, "shortcode" text not null, "initiator_name" text not null, "initiator_password_sealed" text not null, "consumer_key" text null, "consumer_secret_sealed" text null, "is_active" boolean not null, "created_at" timestamptz not null, constraint "payout_configs_pkey" primary key ("id"), constraint payout_configs_own_app_complete check ((consumer_key is null) = (consumer_secret_sealed is null)));`,
    );
    this.addSql(
      `create unique index "payout_configs_one_active_per_business" on "payout_configs" ("business_id") where "is_active";`,
    );
    this.addSql(`create index "payout_configs_business_id_index" on "payout_configs" ("business_id");`);

    this.addSql(
      `create table "payout_events" ("id" uuid not null, "payout_id" uuid not null, "at" timestamptz not null, "type" text check ("type" in ('requested', 'sent', 'refused', 'outcome_unknown', 'status_query_sent', 'status_query_refused')) not null, "detail" jsonb not null, constraint "payout_events_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "payout_events_payout_id_at_index" on "payout_events" ("payout_id", "at");`);

    this.addSql(
      `alter table "payout_configs" add constraint "payout_configs_business_id_foreign" foreign key ("business_id") references "businesses" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "payout_events" add constraint "payout_events_payout_id_foreign" foreign key ("payout_id") references "payouts" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "payouts" add column "payout_config_id" uuid not null, add column "queue_timed_out_at" timestamptz null, add column "status_token_hash" text null, add column "status_queried_at" timestamptz null, add column "status_queries" int not null default 0;`,
    );
    this.addSql(
      `alter table "payouts" add constraint "payouts_payout_config_id_foreign" foreign key ("payout_config_id") references "payout_configs" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "payouts" add constraint "payouts_status_token_hash_unique" unique ("status_token_hash");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "payouts" drop constraint "payouts_payout_config_id_foreign";`);

    this.addSql(`drop table if exists "payout_configs" cascade;`);

    this.addSql(`drop table if exists "payout_events" cascade;`);

    this.addSql(`alter table "payouts" drop constraint "payouts_status_token_hash_unique";`);
    this.addSql(
      `alter table "payouts" drop column "payout_config_id", drop column "queue_timed_out_at", drop column "status_token_hash", drop column "status_queried_at", drop column "status_queries";`,
    );
  }
}

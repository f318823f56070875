import { Migration } from "@mikro-orm/migrations";

const KINDS_BEFORE = `'stk_callback', 'b2c_result', 'b2c_queue_timeout', 'status_result', 'status_timeout', 'c2b_confirmation', 'c2b_validation', 'c2b_status_result'`;

/**
 * Transaction Status look-ups and Account Balance queries, each with its own callback token (stored as a hash);
 * Account Balance results and timeouts join the callback audit's kinds.
 */
export class Migration20261204213000LookupQueries extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "lookup_queries" ("id" uuid not null, "business_id" uuid not null, "kind" text check ("kind" in ('transaction_status', 'account_balance')) not null, "token_hash" text not null, "subject" text not null, "status" text check ("status" in ('pending', 'completed', 'failed')) not null, "result" jsonb null, "result_code" text null, "failure_reason" text null, "created_at" timestamptz not null, "completed_at" timestamptz null, constraint "lookup_queries_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "lookup_queries" add constraint "lookup_queries_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(
      `alter table "lookup_queries" add constraint "lookup_queries_business_id_foreign" foreign key ("business_id") references "businesses" ("id") on update cascade;`,
    );
    this.addSql(`alter table "mpesa_callbacks" drop constraint if exists "mpesa_callbacks_kind_check";`);
    this.addSql(
      `alter table "mpesa_callbacks" add constraint "mpesa_callbacks_kind_check" check ("kind" in (${KINDS_BEFORE}, 'balance_result', 'balance_timeout'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "lookup_queries" cascade;`);
    this.addSql(`delete from "mpesa_callbacks" where "kind" in ('balance_result', 'balance_timeout');`);
    this.addSql(`alter table "mpesa_callbacks" drop constraint if exists "mpesa_callbacks_kind_check";`);
    this.addSql(
      `alter table "mpesa_callbacks" add constraint "mpesa_callbacks_kind_check" check ("kind" in (${KINDS_BEFORE}));`,
    );
  }
}

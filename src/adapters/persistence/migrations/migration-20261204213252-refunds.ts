import { Migration } from "@mikro-orm/migrations";

/**
 * Refunds ("Refunds, transaction status and balance"):
 * - `refunds`: full refunds (Reversal) and partial ones (B2C, through a payout), with their tokens and results;
 * - `refund_receipts`: one lock row per refunded receipt, so that refunds of one receipt take turns;
 * - sales keep what completed refunds gave back (`refunded_amount`), and a fully refunded sale's stock can be
 *   `returned`; the callback audit keeps Reversal results and queue timeouts.
 */
export class Migration20261204213252Refunds extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "refund_receipts" ("business_id" uuid not null, "receipt" text not null, constraint "refund_receipts_pkey" primary key ("business_id", "receipt"));`,
    );

    this.addSql(
      `create table "refunds" ("id" uuid not null, "business_id" uuid not null, "requested_by" uuid not null, "sale_id" uuid null, "c2b_payment_id" uuid null, "original_receipt" text not null, "method" text check ("method" in ('reversal', 'b2c')) not null, "amount" int not null, "reason" text null, "restock" boolean not null, "payout_id" uuid null, "payment_config_id" uuid null, "originator_conversation_id" text null, "conversation_id" text null, "callback_token_hash" text null, "queue_timed_out_at" timestamptz null, "status_token_hash" text null, "status_queried_at" timestamptz null, "status_queries" int not null default 0, "status" text check ("status" in ('pending', 'completed', 'failed')) not null, "push_outcome" text check ("push_outcome" in ('accepted', 'refused', 'unknown')) not null, "mpesa_receipt" text null, "result_code" text null, "failure_reason" text null, "needs_attention" boolean not null default false, "attention_reason" text null, "created_at" timestamptz not null, "completed_at" timestamptz null, constraint "refunds_pkey" primary key ("id"), constraint refunds_amount_range check ((amount >= 1) AND (amount <= 1000000)));`,
    );
    this.addSql(`alter table "refunds" add constraint "refunds_payout_id_unique" unique ("payout_id");`);
    this.addSql(
      `alter table "refunds" add constraint "refunds_callback_token_hash_unique" unique ("callback_token_hash");`,
    );
    this.addSql(
      `alter table "refunds" add constraint "refunds_status_token_hash_unique" unique ("status_token_hash");`,
    );
    this.addSql(
      `create index "refunds_business_id_original_receipt_index" on "refunds" ("business_id", "original_receipt");`,
    );
    this.addSql(
      `create index "refunds_pending_index" on "refunds" ("created_at") where "status" = 'pending';`,
    );

    this.addSql(
      `alter table "refunds" add constraint "refunds_business_id_foreign" foreign key ("business_id") references "businesses" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "refunds" add constraint "refunds_requested_by_foreign" foreign key ("requested_by") references "users" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "refunds" add constraint "refunds_sale_id_foreign" foreign key ("sale_id") references "sales" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "refunds" add constraint "refunds_c2b_payment_id_foreign" foreign key ("c2b_payment_id") references "c2b_payments" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "refunds" add constraint "refunds_payout_id_foreign" foreign key ("payout_id") references "payouts" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "refunds" add constraint "refunds_payment_config_id_foreign" foreign key ("payment_config_id") references "payment_configs" ("id") on update cascade on delete set null;`,
    );

    this.addSql(`alter table "mpesa_callbacks" drop constraint if exists "mpesa_callbacks_kind_check";`);

    this.addSql(`alter table "sales" drop constraint if exists "sales_stock_state_check";`);

    this.addSql(
      `alter table "mpesa_callbacks" add constraint "mpesa_callbacks_kind_check" check("kind" in ('stk_callback', 'b2c_result', 'b2c_queue_timeout', 'status_result', 'status_timeout', 'c2b_confirmation', 'c2b_validation', 'c2b_status_result', 'balance_result', 'balance_timeout', 'reversal_result', 'reversal_timeout'));`,
    );

    this.addSql(`alter table "sales" add column "refunded_amount" int not null default 0;`);
    this.addSql(
      `alter table "sales" add constraint "sales_stock_state_check" check("stock_state" in ('none', 'reserved', 'committed', 'released', 'returned'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "mpesa_callbacks" where "kind" in ('reversal_result', 'reversal_timeout');`);
    this.addSql(`drop table if exists "refund_receipts" cascade;`);

    this.addSql(`drop table if exists "refunds" cascade;`);

    this.addSql(`alter table "mpesa_callbacks" drop constraint if exists "mpesa_callbacks_kind_check";`);

    this.addSql(`alter table "sales" drop constraint if exists "sales_stock_state_check";`);

    this.addSql(
      `alter table "mpesa_callbacks" add constraint "mpesa_callbacks_kind_check" check("kind" in ('stk_callback', 'b2c_result', 'b2c_queue_timeout', 'status_result', 'status_timeout', 'c2b_confirmation', 'c2b_validation', 'c2b_status_result', 'balance_result', 'balance_timeout'));`,
    );

    this.addSql(`alter table "sales" drop column "refunded_amount";`);

    this.addSql(
      `alter table "sales" add constraint "sales_stock_state_check" check("stock_state" in ('none', 'reserved', 'committed', 'released'));`,
    );
  }
}

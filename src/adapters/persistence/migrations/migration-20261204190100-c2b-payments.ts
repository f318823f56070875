import { Migration } from "@mikro-orm/migrations";

const OLD_KINDS = `'stk_callback', 'b2c_result', 'b2c_queue_timeout', 'status_result', 'status_timeout'`;
const OLD_DISPOSITIONS = `'applied', 'no_change', 'flagged', 'awaiting_confirmation', 'confirmed', 'unconfirmed', 'unknown_payment'`;

/**
 * C2B: the businesses' registered confirmation and validation URLs (one per business, one business per shortcode,
 * the token stored only as a hash) and the payments customers make from their own M-Pesa menu, one per receipt.
 * The callback audit also keeps C2B confirmations and validations, and notifications too malformed to apply.
 */
export class Migration20261204190100C2bPayments extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "c2b_registrations" ("id" uuid not null, "business_id" uuid not null, "shortcode" text not null, "token_hash" text not null, "token_hint" text not null, "response_type" text check ("response_type" in ('Completed', 'Cancelled')) not null, "validation" jsonb not null, "confirmation_url" text not null, "validation_url" text not null, "daraja_response" jsonb not null, "registered_at" timestamptz not null, constraint "c2b_registrations_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "c2b_registrations" add constraint "c2b_registrations_business_id_unique" unique ("business_id");`,
    );
    this.addSql(
      `alter table "c2b_registrations" add constraint "c2b_registrations_shortcode_unique" unique ("shortcode");`,
    );
    this.addSql(
      `alter table "c2b_registrations" add constraint "c2b_registrations_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(
      `alter table "c2b_registrations" add constraint "c2b_registrations_business_id_foreign" foreign key ("business_id") references "businesses" ("id") on update cascade;`,
    );
    this.addSql(
      `create table "c2b_payments" ("id" uuid not null, "business_id" uuid not null, "receipt" text not null, "amount" int not null, "phone" text not null, "payer_name" text null, "account_number" text null, "transaction_type" text not null, "shortcode" text not null, "paid_at" timestamptz not null, "source" text check ("source" in ('confirmation', 'pull', 'status_query')) not null, "matched_sale_id" uuid null, "needs_attention" boolean not null, "attention_reason" text null, "refunded_amount" int not null default 0, "created_at" timestamptz not null, constraint "c2b_payments_pkey" primary key ("id"), constraint c2b_payments_amount_range check ((amount >= 1) AND (amount <= 1000000)));`,
    );
    this.addSql(
      `alter table "c2b_payments" add constraint "c2b_payments_receipt_unique" unique ("receipt");`,
    );
    this.addSql(`create index "c2b_payments_business_id_id_index" on "c2b_payments" ("business_id", "id");`);
    this.addSql(
      `create index "c2b_payments_business_id_paid_at_index" on "c2b_payments" ("business_id", "paid_at");`,
    );
    this.addSql(
      `alter table "c2b_payments" add constraint "c2b_payments_business_id_foreign" foreign key ("business_id") references "businesses" ("id") on update cascade;`,
    );
    this.addSql(
      `create table "c2b_checks" ("id" uuid not null, "business_id" uuid not null, "token_hash" text not null, "notification" jsonb not null, "audit_record_id" uuid not null, "status" text check ("status" in ('pending', 'confirmed', 'unconfirmed')) not null, "created_at" timestamptz not null, constraint "c2b_checks_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "c2b_checks" add constraint "c2b_checks_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(
      `alter table "c2b_checks" add constraint "c2b_checks_business_id_foreign" foreign key ("business_id") references "businesses" ("id") on update cascade;`,
    );
    this.addSql(`alter table "mpesa_callbacks" drop constraint if exists "mpesa_callbacks_kind_check";`);
    this.addSql(
      `alter table "mpesa_callbacks" add constraint "mpesa_callbacks_kind_check" check ("kind" in (${OLD_KINDS}, 'c2b_confirmation', 'c2b_validation', 'c2b_status_result'));`,
    );
    this.addSql(
      `alter table "mpesa_callbacks" drop constraint if exists "mpesa_callbacks_disposition_check";`,
    );
    this.addSql(
      `alter table "mpesa_callbacks" add constraint "mpesa_callbacks_disposition_check" check ("disposition" in (${OLD_DISPOSITIONS}, 'invalid'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "c2b_checks" cascade;`);
    this.addSql(`drop table if exists "c2b_payments" cascade;`);
    this.addSql(`drop table if exists "c2b_registrations" cascade;`);
    this.addSql(`delete from "mpesa_callbacks" where "kind" in ('c2b_confirmation', 'c2b_validation');`);
    this.addSql(
      `update "mpesa_callbacks" set "disposition" = 'unconfirmed' where "disposition" = 'invalid';`,
    );
    this.addSql(`alter table "mpesa_callbacks" drop constraint if exists "mpesa_callbacks_kind_check";`);
    this.addSql(
      `alter table "mpesa_callbacks" add constraint "mpesa_callbacks_kind_check" check ("kind" in (${OLD_KINDS}));`,
    );
    this.addSql(
      `alter table "mpesa_callbacks" drop constraint if exists "mpesa_callbacks_disposition_check";`,
    );
    this.addSql(
      `alter table "mpesa_callbacks" add constraint "mpesa_callbacks_disposition_check" check ("disposition" in (${OLD_DISPOSITIONS}));`,
    );
  }
}

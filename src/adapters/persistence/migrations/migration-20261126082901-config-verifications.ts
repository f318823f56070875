import { Migration } from "@mikro-orm/migrations";

/** Verification pushes: a KES 1 STK push through a payment config proves its shortcode and passkey work. */
export class Migration20261126082901ConfigVerifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "config_verifications" ("id" uuid not null, "status" text check ("status" in ('pending', 'paid', 'cancelled', 'failed', 'expired')) not null, "amount" int not null, "phone" text not null, "checkout_request_id" text null, "merchant_request_id" text null, "callback_token_hash" text not null, "mpesa_receipt" text null, "result_code" text null, "failure_reason" text null, "needs_attention" boolean not null, "attention_reason" text null, "created_at" timestamptz not null, "completed_at" timestamptz null, "expired_at" timestamptz null, "business_id" uuid not null, "payment_config_id" uuid not null, constraint "config_verifications_pkey" primary key ("id"), constraint config_verifications_amount_is_one check (amount = 1));`,
    );
    this.addSql(
      `alter table "config_verifications" add constraint "config_verifications_checkout_request_id_unique" unique ("checkout_request_id");`,
    );
    this.addSql(
      `alter table "config_verifications" add constraint "config_verifications_callback_token_hash_unique" unique ("callback_token_hash");`,
    );
    this.addSql(
      `alter table "config_verifications" add constraint "config_verifications_mpesa_receipt_unique" unique ("mpesa_receipt");`,
    );
    this.addSql(
      `create index "config_verifications_payment_config_id_id_index" on "config_verifications" ("payment_config_id", "id");`,
    );
    this.addSql(
      `create index "config_verifications_open_index" on "config_verifications" ("created_at") where "status" = 'pending' and not "needs_attention" and "checkout_request_id" is not null;`,
    );

    this.addSql(
      `alter table "config_verifications" add constraint "config_verifications_business_id_foreign" foreign key ("business_id") references "businesses" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "config_verifications" add constraint "config_verifications_payment_config_id_foreign" foreign key ("payment_config_id") references "payment_configs" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "config_verifications" cascade;`);
  }
}

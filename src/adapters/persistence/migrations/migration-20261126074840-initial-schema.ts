import { Migration } from "@mikro-orm/migrations";

/** The first schema: users, businesses, payment configs, products, sales, wallet purchases and ledger, payouts. */
export class Migration20261126074840InitialSchema extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "users" ("id" uuid not null, "email" text not null, "name" text not null, "phone" text null, "password_hash" text not null, "created_at" timestamptz not null, constraint "users_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);

    this.addSql(
      `create table "businesses" ("id" uuid not null, "owner_id" uuid not null, "name" text not null, "created_at" timestamptz not null, constraint "businesses_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "businesses_owner_id_id_index" on "businesses" ("owner_id", "id");`);

    this.addSql(
      `create table "products" ("id" uuid not null, "business_id" uuid not null, "name" text not null, "sku" text null, "price" int not null, "stock" int not null, "reserved" int not null, "created_at" timestamptz not null, constraint "products_pkey" primary key ("id"), constraint products_stock_non_negative check (stock >= 0), constraint products_reserved_non_negative check (reserved >= 0), constraint products_price_positive check (price >= 1));`,
    );
    this.addSql(`create index "products_business_id_id_index" on "products" ("business_id", "id");`);
    this.addSql(
      `alter table "products" add constraint "products_business_id_sku_unique" unique ("business_id", "sku");`,
    );

    this.addSql(
      `create table "payouts" ("id" uuid not null, "business_id" uuid not null, "requested_by" uuid not null, "amount" int not null, "phone" text not null, "command_id" text check ("command_id" in ('BusinessPayment', 'SalaryPayment', 'PromotionPayment')) not null, "remarks" text not null, "originator_conversation_id" text not null, "conversation_id" text null, "callback_token_hash" text not null, "status" text check ("status" in ('pending', 'completed', 'failed')) not null, "mpesa_receipt" text null, "recipient_name" text null, "result_code" text null, "failure_reason" text null, "created_at" timestamptz not null, "completed_at" timestamptz null, constraint "payouts_pkey" primary key ("id"), constraint payouts_amount_range check (amount between 10 and 250000));`,
    );
    this.addSql(
      `alter table "payouts" add constraint "payouts_originator_conversation_id_unique" unique ("originator_conversation_id");`,
    );
    this.addSql(
      `alter table "payouts" add constraint "payouts_callback_token_hash_unique" unique ("callback_token_hash");`,
    );
    this.addSql(
      `alter table "payouts" add constraint "payouts_mpesa_receipt_unique" unique ("mpesa_receipt");`,
    );
    this.addSql(`create index "payouts_business_id_id_index" on "payouts" ("business_id", "id");`);
    this.addSql(
      `create index "payouts_pending_index" on "payouts" ("created_at") where "status" = 'pending';`,
    );

    this.addSql(
      `create table "payment_configs" ("id" uuid not null, "business_id" uuid not null, "method" text check ("method" in ('till', 'paybill')) not null, "shortcode" text not null, "store_number" text not null, "account_reference" text null, "account_name" text not null, "passkey_sealed" text not null, "consumer_key" text null, "consumer_secret_sealed" text null, "verified" boolean not null, "is_active" boolean not null, "created_at" timestamptz not null, constraint "payment_configs_pkey" primary key ("id"), constraint payment_configs_own_app_complete check ((consumer_key is null) = (consumer_secret_sealed is null)));`,
    );
    this.addSql(
      `create unique index "payment_configs_one_active_per_business" on "payment_configs" ("business_id") where "is_active";`,
    );
    this.addSql(`create index "payment_configs_business_id_index" on "payment_configs" ("business_id");`);

    this.addSql(
      `create table "sales" ("id" uuid not null, "status" text check ("status" in ('pending', 'paid', 'cancelled', 'failed', 'expired')) not null, "amount" int not null, "phone" text not null, "checkout_request_id" text null, "merchant_request_id" text null, "callback_token_hash" text not null, "mpesa_receipt" text null, "result_code" text null, "failure_reason" text null, "needs_attention" boolean not null, "attention_reason" text null, "created_at" timestamptz not null, "completed_at" timestamptz null, "expired_at" timestamptz null, "business_id" uuid not null, "payment_config_id" uuid not null, "items" jsonb not null, "description" text null, "stock_state" text check ("stock_state" in ('none', 'reserved', 'committed', 'released')) not null, "hold_expires_at" timestamptz null, constraint "sales_pkey" primary key ("id"), constraint sales_amount_range check (amount between 1 and 250000));`,
    );
    this.addSql(
      `alter table "sales" add constraint "sales_checkout_request_id_unique" unique ("checkout_request_id");`,
    );
    this.addSql(
      `alter table "sales" add constraint "sales_callback_token_hash_unique" unique ("callback_token_hash");`,
    );
    this.addSql(`alter table "sales" add constraint "sales_mpesa_receipt_unique" unique ("mpesa_receipt");`);
    this.addSql(`create index "sales_business_id_id_index" on "sales" ("business_id", "id");`);
    this.addSql(
      `create index "sales_business_id_status_id_index" on "sales" ("business_id", "status", "id");`,
    );
    this.addSql(
      `create index "sales_open_index" on "sales" ("created_at") where "status" = 'pending' and not "needs_attention" and "checkout_request_id" is not null;`,
    );
    this.addSql(
      `create index "sales_held_index" on "sales" ("hold_expires_at") where "stock_state" = 'reserved';`,
    );

    this.addSql(
      `create table "wallet_ledger_entries" ("id" uuid not null, "user_id" uuid not null, "kind" text check ("kind" in ('purchase_credit')) not null, "tokens" int not null, "source" text not null, "created_at" timestamptz not null, constraint "wallet_ledger_entries_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "wallet_ledger_entries" add constraint "wallet_ledger_entries_source_unique" unique ("source");`,
    );
    this.addSql(
      `create index "wallet_ledger_entries_user_id_id_index" on "wallet_ledger_entries" ("user_id", "id");`,
    );

    this.addSql(
      `create table "wallet_purchases" ("id" uuid not null, "status" text check ("status" in ('pending', 'paid', 'cancelled', 'failed', 'expired')) not null, "amount" int not null, "phone" text not null, "checkout_request_id" text null, "merchant_request_id" text null, "callback_token_hash" text not null, "mpesa_receipt" text null, "result_code" text null, "failure_reason" text null, "needs_attention" boolean not null, "attention_reason" text null, "created_at" timestamptz not null, "completed_at" timestamptz null, "expired_at" timestamptz null, "user_id" uuid not null, "tokens" int not null, constraint "wallet_purchases_pkey" primary key ("id"), constraint wallet_purchases_amount_range check (amount between 1 and 250000));`,
    );
    this.addSql(
      `alter table "wallet_purchases" add constraint "wallet_purchases_checkout_request_id_unique" unique ("checkout_request_id");`,
    );
    this.addSql(
      `alter table "wallet_purchases" add constraint "wallet_purchases_callback_token_hash_unique" unique ("callback_token_hash");`,
    );
    this.addSql(
      `alter table "wallet_purchases" add constraint "wallet_purchases_mpesa_receipt_unique" unique ("mpesa_receipt");`,
    );
    this.addSql(`create index "wallet_purchases_user_id_id_index" on "wallet_purchases" ("user_id", "id");`);
    this.addSql(
      `create index "wallet_purchases_open_index" on "wallet_purchases" ("created_at") where "status" = 'pending' and not "needs_attention" and "checkout_request_id" is not null;`,
    );

    this.addSql(
      `alter table "businesses" add constraint "businesses_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "products" add constraint "products_business_id_foreign" foreign key ("business_id") references "businesses" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "payouts" add constraint "payouts_business_id_foreign" foreign key ("business_id") references "businesses" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "payouts" add constraint "payouts_requested_by_foreign" foreign key ("requested_by") references "users" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "payment_configs" add constraint "payment_configs_business_id_foreign" foreign key ("business_id") references "businesses" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "sales" add constraint "sales_business_id_foreign" foreign key ("business_id") references "businesses" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "sales" add constraint "sales_payment_config_id_foreign" foreign key ("payment_config_id") references "payment_configs" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "wallet_ledger_entries" add constraint "wallet_ledger_entries_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "wallet_purchases" add constraint "wallet_purchases_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`,
    );
  }
}

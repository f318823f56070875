import { Migration } from "@mikro-orm/migrations";

const STK_TABLES = [
  { table: "wallet_purchases", kind: "wallet_purchase" },
  { table: "sales", kind: "sale" },
  { table: "config_verifications", kind: "config_verification" },
] as const;

/**
 * One lookup table for every STK payment, whatever its kind: its callback token hash and, once known, its
 * CheckoutRequestID name it. Filled in from the rows already stored.
 */
export class Migration20261204154542PaymentLocators extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "payment_locators" ("channel" text not null, "key" text not null, "kind" text not null, "payment_id" uuid not null, constraint "payment_locators_pkey" primary key ("channel", "key"));`,
    );
    for (const { table, kind } of STK_TABLES) {
      this.addSql(
        `insert into "payment_locators" ("channel", "key", "kind", "payment_id") select 'callback_token', "callback_token_hash", '${kind}', "id" from "${table}" on conflict do nothing;`,
      );
      this.addSql(
        `insert into "payment_locators" ("channel", "key", "kind", "payment_id") select 'checkout_request_id', "checkout_request_id", '${kind}', "id" from "${table}" where "checkout_request_id" is not null on conflict do nothing;`,
      );
    }
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "payment_locators" cascade;`);
  }
}

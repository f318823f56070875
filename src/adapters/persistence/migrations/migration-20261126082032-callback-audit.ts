import { Migration } from "@mikro-orm/migrations";

/** Every callback received, trusted or not, with what became of it: the audit trail of money moving. */
export class Migration20261126082032CallbackAudit extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "mpesa_callbacks" ("id" uuid not null, "received_at" timestamptz not null, "kind" text check ("kind" in ('stk_callback', 'b2c_result', 'b2c_queue_timeout', 'status_result', 'status_timeout')) not null, "path" text not null, "trusted" boolean not null, "checkout_request_id" text null, "payment_ref" text null, "disposition" text check ("disposition" in ('applied', 'no_change', 'flagged', 'awaiting_confirmation', 'confirmed', 'unconfirmed', 'unknown_payment')) not null, "body" jsonb not null, constraint "mpesa_callbacks_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "mpesa_callbacks_payment_ref_index" on "mpesa_callbacks" ("payment_ref", "received_at");`,
    );
    this.addSql(
      `create index "mpesa_callbacks_checkout_request_id_index" on "mpesa_callbacks" ("checkout_request_id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "mpesa_callbacks" cascade;`);
  }
}

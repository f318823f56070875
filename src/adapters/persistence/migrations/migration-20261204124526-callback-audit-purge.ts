import { Migration } from "@mikro-orm/migrations";

/** An index on received_at, for the purge of callback audit records older than CALLBACK_AUDIT_DAYS. */
export class Migration20261204124526CallbackAuditPurge extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "mpesa_callbacks_received_at_index" on "mpesa_callbacks" ("received_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "mpesa_callbacks_received_at_index";`);
  }
}

import { Migration } from "@mikro-orm/migrations";

/**
 * Webhook deliveries are scheduled and claimed through pg-boss jobs: each row names its current job instead of
 * holding a lease. Pending rows from before get their jobs when pg-boss is installed (Database.migrate).
 */
export class Migration20261204220000WebhookJobs extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "webhook_deliveries" add column "job_id" uuid null;`);
    this.addSql(`alter table "webhook_deliveries" drop column "lease_until";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_deliveries" add column "lease_until" timestamptz null;`);
    this.addSql(`alter table "webhook_deliveries" drop column "job_id";`);
  }
}

import { Migration } from "@mikro-orm/migrations";

/**
 * The shop owner's web app: products can be archived (kept for sales history, no longer sold); a sale carries the
 * random token of its public receipt link once one is shared. (What refunds sent back, `refunded_amount`, is the
 * refunds migration's.)
 */
export class Migration20261204230000WebApp extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "products" add column "archived_at" timestamptz null;`);

    this.addSql(`alter table "sales" add column "receipt_token" text null;`);
    this.addSql(`alter table "sales" add constraint "sales_receipt_token_unique" unique ("receipt_token");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "products" drop column "archived_at";`);

    this.addSql(`alter table "sales" drop constraint "sales_receipt_token_unique";`);
    this.addSql(`alter table "sales" drop column "receipt_token";`);
  }
}

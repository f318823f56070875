import { Migration } from "@mikro-orm/migrations";

/**
 * The shop owner's web app: products can be archived (kept for sales history, no longer sold); a sale counts what
 * refunds sent back, and carries the random token of its public receipt link once one is shared.
 */
export class Migration20261204230000WebApp extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "products" add column "archived_at" timestamptz null;`);

    // The refunds feature adds the same column in its own migration, which runs first: whichever lands, one column.
    this.addSql(
      `alter table "sales" add column if not exists "refunded_amount" int not null default 0, add column "receipt_token" text null;`,
    );
    this.addSql(`alter table "sales" add constraint "sales_receipt_token_unique" unique ("receipt_token");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "products" drop column "archived_at";`);

    this.addSql(`alter table "sales" drop constraint "sales_receipt_token_unique";`);
    this.addSql(`alter table "sales" drop column "refunded_amount", drop column "receipt_token";`);
  }
}

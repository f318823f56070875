import { Migration } from "@mikro-orm/migrations";

/**
 * Every sale gets a short reference, unique within its business. Existing sales are numbered in the order they
 * were made (their UUIDv7 ids), each number written in the references' alphabet: unique by construction. New
 * references are random, and a clash with an old one is drawn again.
 */
export class Migration20261204190000SaleReferences extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "sales" add column "reference" text null;`);
    this.addSql(
      `update "sales" as "s" set "reference" = "numbered"."reference" from (select "id", (select string_agg(substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', (("n" >> (5 * (5 - "i"))) & 31)::int + 1, 1), '' order by "i") from generate_series(0, 5) as "i") as "reference" from (select "id", row_number() over (partition by "business_id" order by "id") as "n" from "sales") as "ordered") as "numbered" where "s"."id" = "numbered"."id";`,
    );
    this.addSql(`alter table "sales" alter column "reference" set not null;`);
    this.addSql(
      `alter table "sales" add constraint "sales_business_id_reference_unique" unique ("business_id", "reference");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "sales" drop constraint if exists "sales_business_id_reference_unique";`);
    this.addSql(`alter table "sales" drop column if exists "reference";`);
  }
}

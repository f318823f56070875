import { Migration } from "@mikro-orm/migrations";

/** When the reconciler may next ask Daraja about a payment, and how often it already has. */
export class Migration20261126083944ReconciliationSchedule extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "sales" add column "check_attempts" int not null default 0, add column "next_check_at" timestamptz null;`,
    );

    this.addSql(
      `alter table "config_verifications" add column "check_attempts" int not null default 0, add column "next_check_at" timestamptz null;`,
    );

    this.addSql(
      `alter table "wallet_purchases" add column "check_attempts" int not null default 0, add column "next_check_at" timestamptz null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "config_verifications" drop column "check_attempts", drop column "next_check_at";`,
    );

    this.addSql(`alter table "sales" drop column "check_attempts", drop column "next_check_at";`);

    this.addSql(`alter table "wallet_purchases" drop column "check_attempts", drop column "next_check_at";`);
  }
}

import { Migration } from "@mikro-orm/migrations";

/**
 * Payout limits on the payout config (existing configs get the defaults, KES 100,000 a day and KES 70,000 a
 * payout), bounded by checks; and an index for a business's payouts by time (the day's sum, time-filtered lists).
 */
export class Migration20261204123347PayoutLimits extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "payout_configs" add column "daily_limit" int not null default 100000, add column "per_payout_limit" int not null default 70000;`,
    );
    this.addSql(
      `alter table "payout_configs" add constraint payout_configs_daily_limit_range check((daily_limit >= 10) AND (daily_limit <= 1000000000));`,
    );
    this.addSql(
      `alter table "payout_configs" add constraint payout_configs_per_payout_limit_range check((per_payout_limit >= 10) AND (per_payout_limit <= 250000));`,
    );

    this.addSql(
      `create index "payouts_business_id_created_at_index" on "payouts" ("business_id", "created_at");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "payout_configs" drop constraint payout_configs_daily_limit_range;`);
    this.addSql(`alter table "payout_configs" drop constraint payout_configs_per_payout_limit_range;`);
    this.addSql(`alter table "payout_configs" drop column "daily_limit", drop column "per_payout_limit";`);

    this.addSql(`drop index "payouts_business_id_created_at_index";`);
  }
}

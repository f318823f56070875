import { Migration } from "@mikro-orm/migrations";

/**
 * A payment config may keep the receiving shortcode's own API operator (its initiator), sealed like the passkey:
 * Daraja requires it for Reversal, Transaction Status, Account Balance and Pull on that shortcode.
 */
export class Migration20261204190200PaymentConfigInitiator extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "payment_configs" add column "initiator_name" text null, add column "initiator_password_sealed" text null;`,
    );
    this.addSql(
      `alter table "payment_configs" add constraint payment_configs_initiator_complete check ((initiator_name is null) = (initiator_password_sealed is null));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "payment_configs" drop constraint if exists "payment_configs_initiator_complete";`,
    );
    this.addSql(
      `alter table "payment_configs" drop column if exists "initiator_name", drop column if exists "initiator_password_sealed";`,
    );
  }
}

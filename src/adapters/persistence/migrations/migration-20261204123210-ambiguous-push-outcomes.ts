import { Migration } from "@mikro-orm/migrations";

const STK_TABLES = ["wallet_purchases", "sales", "config_verifications"] as const;
const OUTCOME_CHECK = `check ("push_outcome" in ('accepted', 'refused', 'unknown'))`;

/**
 * What Daraja answered to each push or B2C request (`push_outcome`), and which flags stop automatic changes
 * (`attention_blocking`). Existing rows keep their data:
 * - a row with a CheckoutRequestID (or a B2C ConversationID) was accepted;
 * - a pending or expired payment without one is unknown;
 * - a row PayMe stored `failed` without a ResultCode before this rule stays NULL ("legacy"): whether its push was
 *   refused or only answered ambiguously cannot be told any more, so it is left as it is.
 * Existing flags on payments not yet paid were amount or phone mismatches (blocking); flags on paid sales were
 * stock shortfalls (informational). The reconciler's partial index now skips only blocking flags.
 */
export class Migration20261204123210AmbiguousPushOutcomes extends Migration {
  override async up(): Promise<void> {
    for (const table of STK_TABLES) {
      this.addSql(
        `alter table "${table}" add column "push_outcome" text ${OUTCOME_CHECK} null, add column "attention_blocking" boolean not null default false;`,
      );
      this.addSql(
        `update "${table}" set "push_outcome" = case when "checkout_request_id" is not null then 'accepted' when "status" in ('pending', 'expired') then 'unknown' else null end, "attention_blocking" = "needs_attention" and "status" <> 'paid';`,
      );
      this.addSql(`drop index if exists "${table}_open_index";`);
      this.addSql(
        `create index "${table}_open_index" on "${table}" ("created_at") where "status" = 'pending' and not "attention_blocking" and "checkout_request_id" is not null;`,
      );
    }

    this.addSql(
      `alter table "payouts" add column "push_outcome" text ${OUTCOME_CHECK} null, add column "needs_attention" boolean not null default false, add column "attention_reason" text null;`,
    );
    this.addSql(
      `update "payouts" set "push_outcome" = case when "conversation_id" is not null then 'accepted' when "status" = 'pending' then 'unknown' else null end;`,
    );

    this.addSql(`alter table "payout_events" drop constraint if exists "payout_events_type_check";`);
    this.addSql(
      `alter table "payout_events" add constraint "payout_events_type_check" check("type" in ('requested', 'sent', 'refused', 'outcome_unknown', 'duplicate', 'status_query_sent', 'status_query_refused'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "payout_events" drop constraint if exists "payout_events_type_check";`);
    this.addSql(`update "payout_events" set "type" = 'outcome_unknown' where "type" = 'duplicate';`);
    this.addSql(
      `alter table "payout_events" add constraint "payout_events_type_check" check("type" in ('requested', 'sent', 'refused', 'outcome_unknown', 'status_query_sent', 'status_query_refused'));`,
    );
    this.addSql(
      `alter table "payouts" drop column "push_outcome", drop column "needs_attention", drop column "attention_reason";`,
    );
    for (const table of STK_TABLES) {
      this.addSql(`drop index if exists "${table}_open_index";`);
      this.addSql(
        `create index "${table}_open_index" on "${table}" ("created_at") where "status" = 'pending' and not "needs_attention" and "checkout_request_id" is not null;`,
      );
      this.addSql(`alter table "${table}" drop column "push_outcome", drop column "attention_blocking";`);
    }
  }
}

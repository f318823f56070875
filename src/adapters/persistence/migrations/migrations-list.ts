import type { MigrationObject } from "@mikro-orm/core";
import { Migration20261126074840InitialSchema } from "./migration-20261126074840-initial-schema.ts";
import { Migration20261126081345IdempotencyKeys } from "./migration-20261126081345-idempotency-keys.ts";
import { Migration20261126082032CallbackAudit } from "./migration-20261126082032-callback-audit.ts";
import { Migration20261126082901ConfigVerifications } from "./migration-20261126082901-config-verifications.ts";
import { Migration20261126083420PayoutConfigsAndEvents } from "./migration-20261126083420-payout-configs-and-events.ts";
import { Migration20261126083944ReconciliationSchedule } from "./migration-20261126083944-reconciliation-schedule.ts";
import { Migration20261204123210AmbiguousPushOutcomes } from "./migration-20261204123210-ambiguous-push-outcomes.ts";
import { Migration20261204123311SignInLimitsAndRevocation } from "./migration-20261204123311-sign-in-limits-and-revocation.ts";
import { Migration20261204123347PayoutLimits } from "./migration-20261204123347-payout-limits.ts";
import { Migration20261204124511PushLog } from "./migration-20261204124511-push-log.ts";
import { Migration20261204124526CallbackAuditPurge } from "./migration-20261204124526-callback-audit-purge.ts";
import { Migration20261204154542PaymentLocators } from "./migration-20261204154542-payment-locators.ts";
import { Migration20261204155636OutboxEvents } from "./migration-20261204155636-outbox-events.ts";
import { Migration20261204190000SaleReferences } from "./migration-20261204190000-sale-references.ts";
import { Migration20261204190100C2bPayments } from "./migration-20261204190100-c2b-payments.ts";
import { Migration20261204190200PaymentConfigInitiator } from "./migration-20261204190200-payment-config-initiator.ts";
import { Migration20261204193000Webhooks } from "./migration-20261204193000-webhooks.ts";
import { Migration20261204194500DarajaTokens } from "./migration-20261204194500-daraja-tokens.ts";
import { Migration20261204200000MembersAndApiKeys } from "./migration-20261204200000-members-and-api-keys.ts";
import { Migration20261204213000LookupQueries } from "./migration-20261204213000-lookup-queries.ts";
import { Migration20261204213252Refunds } from "./migration-20261204213252-refunds.ts";
import { Migration20261204220000WebhookJobs } from "./migration-20261204220000-webhook-jobs.ts";
import { Migration20261204230000WebApp } from "./migration-20261204230000-web-app.ts";

/**
 * Every migration, in order. Listed explicitly because vitest and tsx cannot load migration files by
 * globbing. `npm run migration:new -- <name>` writes a new file beside this one and adds it here (a test checks
 * that none is missing).
 */
export const migrationsList: MigrationObject[] = [
  { name: "migration-20261126074840-initial-schema", class: Migration20261126074840InitialSchema },
  { name: "migration-20261126081345-idempotency-keys", class: Migration20261126081345IdempotencyKeys },
  { name: "migration-20261126082032-callback-audit", class: Migration20261126082032CallbackAudit },
  {
    name: "migration-20261126082901-config-verifications",
    class: Migration20261126082901ConfigVerifications,
  },
  {
    name: "migration-20261126083420-payout-configs-and-events",
    class: Migration20261126083420PayoutConfigsAndEvents,
  },
  {
    name: "migration-20261126083944-reconciliation-schedule",
    class: Migration20261126083944ReconciliationSchedule,
  },
  {
    name: "migration-20261204123210-ambiguous-push-outcomes",
    class: Migration20261204123210AmbiguousPushOutcomes,
  },
  {
    name: "migration-20261204123311-sign-in-limits-and-revocation",
    class: Migration20261204123311SignInLimitsAndRevocation,
  },
  { name: "migration-20261204123347-payout-limits", class: Migration20261204123347PayoutLimits },
  { name: "migration-20261204124511-push-log", class: Migration20261204124511PushLog },
  { name: "migration-20261204124526-callback-audit-purge", class: Migration20261204124526CallbackAuditPurge },
  { name: "migration-20261204154542-payment-locators", class: Migration20261204154542PaymentLocators },
  { name: "migration-20261204155636-outbox-events", class: Migration20261204155636OutboxEvents },
  { name: "migration-20261204190000-sale-references", class: Migration20261204190000SaleReferences },
  { name: "migration-20261204190100-c2b-payments", class: Migration20261204190100C2bPayments },
  {
    name: "migration-20261204190200-payment-config-initiator",
    class: Migration20261204190200PaymentConfigInitiator,
  },
  { name: "migration-20261204193000-webhooks", class: Migration20261204193000Webhooks },
  { name: "migration-20261204194500-daraja-tokens", class: Migration20261204194500DarajaTokens },
  { name: "migration-20261204200000-members-and-api-keys", class: Migration20261204200000MembersAndApiKeys },
  { name: "migration-20261204213000-lookup-queries", class: Migration20261204213000LookupQueries },
  { name: "migration-20261204213252-refunds", class: Migration20261204213252Refunds },
  { name: "migration-20261204220000-webhook-jobs", class: Migration20261204220000WebhookJobs },
  { name: "migration-20261204230000-web-app", class: Migration20261204230000WebApp },
];

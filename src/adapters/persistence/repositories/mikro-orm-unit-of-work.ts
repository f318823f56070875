import type { SqlEntityManager } from "@mikro-orm/postgresql";
import type { Repositories, UnitOfWork } from "../../../application/ports/unit-of-work.ts";
import type { SqlOrm } from "../database.ts";
import { inForkTransaction } from "../fork-transaction.ts";
import type { PgBossWebhookJobs } from "../pg-boss-webhook-jobs.ts";
import { MikroOrmApiKeyRepository } from "./mikro-orm-api-key-repository.ts";
import { MikroOrmBusinessRepository } from "./mikro-orm-business-repository.ts";
import { MikroOrmC2bCheckRepository } from "./mikro-orm-c2b-check-repository.ts";
import { MikroOrmC2bPaymentRepository } from "./mikro-orm-c2b-payment-repository.ts";
import { MikroOrmC2bRegistrationRepository } from "./mikro-orm-c2b-registration-repository.ts";
import { MikroOrmCallbackAuditRepository } from "./mikro-orm-callback-audit-repository.ts";
import { MikroOrmConfigVerificationRepository } from "./mikro-orm-config-verification-repository.ts";
import { MikroOrmInvitationRepository } from "./mikro-orm-invitation-repository.ts";
import { MikroOrmLookupQueryRepository } from "./mikro-orm-lookup-query-repository.ts";
import { MikroOrmMemberRepository } from "./mikro-orm-member-repository.ts";
import { MikroOrmOutboxRepository } from "./mikro-orm-outbox-repository.ts";
import { MikroOrmPaymentConfigRepository } from "./mikro-orm-payment-config-repository.ts";
import { MikroOrmPaymentLocatorRepository } from "./mikro-orm-payment-locator-repository.ts";
import { MikroOrmPayoutConfigRepository } from "./mikro-orm-payout-config-repository.ts";
import { MikroOrmPayoutEventRepository } from "./mikro-orm-payout-event-repository.ts";
import { MikroOrmPayoutRepository } from "./mikro-orm-payout-repository.ts";
import { MikroOrmProductRepository } from "./mikro-orm-product-repository.ts";
import { MikroOrmPushLogRepository } from "./mikro-orm-push-log-repository.ts";
import { MikroOrmRefundRepository } from "./mikro-orm-refund-repository.ts";
import { MikroOrmSaleRepository } from "./mikro-orm-sale-repository.ts";
import { MikroOrmStatusTokenRepository } from "./mikro-orm-status-token-repository.ts";
import { MikroOrmUserRepository } from "./mikro-orm-user-repository.ts";
import { MikroOrmWalletLedgerRepository } from "./mikro-orm-wallet-ledger-repository.ts";
import { MikroOrmWalletPurchaseRepository } from "./mikro-orm-wallet-purchase-repository.ts";
import { MikroOrmWebhookDeliveryRepository } from "./mikro-orm-webhook-delivery-repository.ts";
import { MikroOrmWebhookEndpointRepository } from "./mikro-orm-webhook-endpoint-repository.ts";
import type { SettlementBatch } from "./settlement-batch.ts";

/**
 * The repositories of one transaction on `em`. With a `batch` (a group commit's), the settlement path's reads
 * and writes go through it: see SettlementBatch.
 */
export function mikroOrmRepositories(
  em: SqlEntityManager,
  webhookJobs: PgBossWebhookJobs,
  batch?: SettlementBatch,
): Repositories {
  const sales = new MikroOrmSaleRepository(em, batch);
  const walletPurchases = new MikroOrmWalletPurchaseRepository(em, batch);
  const configVerifications = new MikroOrmConfigVerificationRepository(em, batch);
  return {
    users: new MikroOrmUserRepository(em),
    businesses: new MikroOrmBusinessRepository(em),
    paymentConfigs: new MikroOrmPaymentConfigRepository(em, batch),
    products: new MikroOrmProductRepository(em, batch),
    sales,
    walletPurchases,
    walletLedger: new MikroOrmWalletLedgerRepository(em, batch),
    payouts: new MikroOrmPayoutRepository(em),
    callbackAudit: new MikroOrmCallbackAuditRepository(em, batch),
    configVerifications,
    payoutConfigs: new MikroOrmPayoutConfigRepository(em),
    payoutEvents: new MikroOrmPayoutEventRepository(em),
    pushLog: new MikroOrmPushLogRepository(em),
    paymentLocators: new MikroOrmPaymentLocatorRepository(
      em,
      [walletPurchases, sales, configVerifications],
      batch,
    ),
    outbox: new MikroOrmOutboxRepository(em, batch),
    members: new MikroOrmMemberRepository(em),
    apiKeys: new MikroOrmApiKeyRepository(em),
    invitations: new MikroOrmInvitationRepository(em),
    webhookEndpoints: new MikroOrmWebhookEndpointRepository(em),
    webhookDeliveries: new MikroOrmWebhookDeliveryRepository(em),
    webhookJobs: webhookJobs.inTransaction(em),
    c2bRegistrations: new MikroOrmC2bRegistrationRepository(em),
    c2bPayments: new MikroOrmC2bPaymentRepository(em),
    c2bChecks: new MikroOrmC2bCheckRepository(em),
    refunds: new MikroOrmRefundRepository(em),
    lookupQueries: new MikroOrmLookupQueryRepository(em),
    statusTokens: new MikroOrmStatusTokenRepository(em),
  };
}

/**
 * One database transaction per `run`, on one fresh fork of the EntityManager, begun and committed on that fork
 * itself (inForkTransaction: no AsyncLocalStorage, no flush). Repositories never persist managed entities (they
 * insert and update natively), so nothing waits for a flush.
 */
export class MikroOrmUnitOfWork implements UnitOfWork {
  private readonly orm: SqlOrm;
  private readonly webhookJobs: PgBossWebhookJobs;

  /** Over a Database: its ORM, and its webhook queue (whose jobs are written in the same transactions). */
  constructor(database: { readonly orm: SqlOrm; readonly webhookJobs: PgBossWebhookJobs }) {
    this.orm = database.orm;
    this.webhookJobs = database.webhookJobs;
  }

  run<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return inForkTransaction(this.orm, (em) => work(mikroOrmRepositories(em, this.webhookJobs)));
  }

  read<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return work(mikroOrmRepositories(this.orm.em.fork(), this.webhookJobs));
  }

  /** As `read`: without a transaction, each statement commits on its own. */
  autocommit<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return work(mikroOrmRepositories(this.orm.em.fork(), this.webhookJobs));
  }
}

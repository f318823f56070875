import type { Repositories, UnitOfWork } from "../../application/ports/unit-of-work.ts";
import { InMemoryApiKeyRepository } from "./in-memory-api-key-repository.ts";
import { InMemoryBusinessRepository } from "./in-memory-business-repository.ts";
import { InMemoryC2bCheckRepository } from "./in-memory-c2b-check-repository.ts";
import { InMemoryC2bPaymentRepository } from "./in-memory-c2b-payment-repository.ts";
import { InMemoryC2bRegistrationRepository } from "./in-memory-c2b-registration-repository.ts";
import { InMemoryCallbackAuditRepository } from "./in-memory-callback-audit-repository.ts";
import { InMemoryConfigVerificationRepository } from "./in-memory-config-verification-repository.ts";
import { InMemoryInvitationRepository } from "./in-memory-invitation-repository.ts";
import { InMemoryLookupQueryRepository } from "./in-memory-lookup-query-repository.ts";
import { InMemoryMemberRepository } from "./in-memory-member-repository.ts";
import { InMemoryOutboxRepository } from "./in-memory-outbox-repository.ts";
import { InMemoryPaymentConfigRepository } from "./in-memory-payment-config-repository.ts";
import { InMemoryPaymentLocatorRepository } from "./in-memory-payment-locator-repository.ts";
import { InMemoryPayoutConfigRepository } from "./in-memory-payout-config-repository.ts";
import { InMemoryPayoutEventRepository } from "./in-memory-payout-event-repository.ts";
import { InMemoryPayoutRepository } from "./in-memory-payout-repository.ts";
import { InMemoryProductRepository } from "./in-memory-product-repository.ts";
import { InMemoryPushLogRepository } from "./in-memory-push-log-repository.ts";
import { InMemoryRefundRepository } from "./in-memory-refund-repository.ts";
import { InMemorySaleRepository } from "./in-memory-sale-repository.ts";
import { InMemoryStatusTokenRepository } from "./in-memory-status-token-repository.ts";
import { InMemoryTables } from "./in-memory-tables.ts";
import { InMemoryUserRepository } from "./in-memory-user-repository.ts";
import { InMemoryWalletLedgerRepository } from "./in-memory-wallet-ledger-repository.ts";
import { InMemoryWalletPurchaseRepository } from "./in-memory-wallet-purchase-repository.ts";
import { InMemoryWebhookDeliveryRepository } from "./in-memory-webhook-delivery-repository.ts";
import { InMemoryWebhookEndpointRepository } from "./in-memory-webhook-endpoint-repository.ts";
import { InMemoryWebhookJobQueue } from "./in-memory-webhook-job-queue.ts";

/**
 * Transactions over in-memory tables. They run one at a time (so a locked read is trivially exclusive),
 * and a transaction that throws leaves the tables as they were before it.
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly repositories: Repositories;

  constructor(readonly tables: InMemoryTables = new InMemoryTables()) {
    const sales = new InMemorySaleRepository(tables);
    const walletPurchases = new InMemoryWalletPurchaseRepository(tables);
    const configVerifications = new InMemoryConfigVerificationRepository(tables);
    const payouts = new InMemoryPayoutRepository(tables);
    const lookupQueries = new InMemoryLookupQueryRepository(tables);
    this.repositories = {
      users: new InMemoryUserRepository(tables),
      businesses: new InMemoryBusinessRepository(tables),
      paymentConfigs: new InMemoryPaymentConfigRepository(tables),
      products: new InMemoryProductRepository(tables),
      sales,
      walletPurchases,
      walletLedger: new InMemoryWalletLedgerRepository(tables),
      payouts,
      callbackAudit: new InMemoryCallbackAuditRepository(tables),
      configVerifications,
      payoutConfigs: new InMemoryPayoutConfigRepository(tables),
      payoutEvents: new InMemoryPayoutEventRepository(tables),
      pushLog: new InMemoryPushLogRepository(tables),
      paymentLocators: new InMemoryPaymentLocatorRepository(tables, [
        walletPurchases,
        sales,
        configVerifications,
      ]),
      outbox: new InMemoryOutboxRepository(tables),
      members: new InMemoryMemberRepository(tables),
      apiKeys: new InMemoryApiKeyRepository(tables),
      invitations: new InMemoryInvitationRepository(tables),
      webhookEndpoints: new InMemoryWebhookEndpointRepository(tables),
      webhookDeliveries: new InMemoryWebhookDeliveryRepository(tables),
      webhookJobs: new InMemoryWebhookJobQueue(tables),
      c2bRegistrations: new InMemoryC2bRegistrationRepository(tables),
      c2bPayments: new InMemoryC2bPaymentRepository(tables),
      c2bChecks: new InMemoryC2bCheckRepository(tables),
      refunds: new InMemoryRefundRepository(tables),
      lookupQueries,
      statusTokens: new InMemoryStatusTokenRepository(payouts, lookupQueries),
    };
  }

  run<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    const result = this.tail.then(async () => {
      this.tables.undo.begin();
      try {
        const result = await work(this.repositories);
        this.tables.undo.commit();
        return result;
      } catch (error) {
        this.tables.undo.rollback();
        throw error;
      }
    });
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  read<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return this.run(work);
  }

  /** One at a time like a transaction: a statement on its own is atomic too. */
  autocommit<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return this.run(work);
  }
}

import type { ApiKeyRepository } from "./api-key-repository.ts";
import type { BusinessRepository } from "./business-repository.ts";
import type { C2bCheckRepository } from "./c2b-check-repository.ts";
import type { C2bPaymentRepository } from "./c2b-payment-repository.ts";
import type { C2bRegistrationRepository } from "./c2b-registration-repository.ts";
import type { CallbackAuditRepository } from "./callback-audit-repository.ts";
import type { ConfigVerificationRepository } from "./config-verification-repository.ts";
import type { InvitationRepository } from "./invitation-repository.ts";
import type { LookupQueryRepository } from "./lookup-query-repository.ts";
import type { MemberRepository } from "./member-repository.ts";
import type { OutboxRepository } from "./outbox-repository.ts";
import type { PaymentConfigRepository } from "./payment-config-repository.ts";
import type { LocatorChannel, PaymentLocatorRepository } from "./payment-locator-repository.ts";
import type { PayoutConfigRepository } from "./payout-config-repository.ts";
import type { PayoutEventRepository } from "./payout-event-repository.ts";
import type { PayoutRepository } from "./payout-repository.ts";
import type { ProductRepository } from "./product-repository.ts";
import type { PushLogRepository } from "./push-log-repository.ts";
import type { RefundRepository } from "./refund-repository.ts";
import type { SaleRepository } from "./sale-repository.ts";
import type { StatusTokenRepository } from "./status-token-repository.ts";
import type { UserRepository } from "./user-repository.ts";
import type { WalletLedgerRepository } from "./wallet-ledger-repository.ts";
import type { WalletPurchaseRepository } from "./wallet-purchase-repository.ts";
import type { WebhookDeliveryRepository } from "./webhook-delivery-repository.ts";
import type { WebhookEndpointRepository } from "./webhook-endpoint-repository.ts";
import type { WebhookJobQueue } from "./webhook-job-queue.ts";

/** The repositories of one transaction. */
export interface Repositories {
  readonly users: UserRepository;
  readonly businesses: BusinessRepository;
  readonly paymentConfigs: PaymentConfigRepository;
  readonly products: ProductRepository;
  readonly sales: SaleRepository;
  readonly walletPurchases: WalletPurchaseRepository;
  readonly walletLedger: WalletLedgerRepository;
  readonly payouts: PayoutRepository;
  readonly callbackAudit: CallbackAuditRepository;
  readonly configVerifications: ConfigVerificationRepository;
  readonly payoutConfigs: PayoutConfigRepository;
  readonly payoutEvents: PayoutEventRepository;
  readonly pushLog: PushLogRepository;
  readonly paymentLocators: PaymentLocatorRepository;
  readonly outbox: OutboxRepository;
  readonly members: MemberRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly invitations: InvitationRepository;
  readonly webhookEndpoints: WebhookEndpointRepository;
  readonly webhookDeliveries: WebhookDeliveryRepository;
  /** The webhook queue's jobs, written in this transaction. */
  readonly webhookJobs: WebhookJobQueue;
  readonly c2bRegistrations: C2bRegistrationRepository;
  readonly c2bPayments: C2bPaymentRepository;
  readonly c2bChecks: C2bCheckRepository;
  readonly refunds: RefundRepository;
  readonly lookupQueries: LookupQueryRepository;
  /** Payouts and look-ups, by the token of the Transaction Status paths they share. */
  readonly statusTokens: StatusTokenRepository;
}

/** The names of the repositories a unit of work can hand out. */
export type RepositoryName = keyof Repositories;

/**
 * A database transaction, offering the repositories `K` only: a use case declares the ones it uses
 * (`UnitOfWork<"sales" | "products">`) and the compiler refuses any other. A unit of work over every repository
 * (the adapters') is assignable to any narrower one. `run` commits when `work` resolves and rolls everything back when it throws;
 * an expected failure that must undo earlier writes has to throw, so write only after the checks pass.
 * Transactions do not nest, and none may stay open across a call to Daraja.
 */
export interface UnitOfWork<K extends RepositoryName = RepositoryName> {
  run<T>(work: (repositories: Pick<Repositories, K>) => Promise<T>): Promise<T>;
  /**
   * Reads outside a transaction: each statement sees what is committed when it runs. For a single lookup, or
   * reads that need not agree with each other (it saves a transaction's round trips on every request).
   * `work` must not write or lock.
   */
  read<T>(work: (repositories: Pick<Repositories, K>) => Promise<T>): Promise<T>;
  /**
   * Writes outside a transaction, as `read` reads: each statement commits on its own as it runs, which saves a
   * transaction's BEGIN and COMMIT. Only for a write that is right on its own, whatever ran before it: one
   * conditional statement (a compare-and-set such as `StkPaymentRepository.recordAcceptedPush`), never a read
   * followed by a write that depends on it, nor writes that must all happen or none.
   */
  autocommit<T>(work: (repositories: Pick<Repositories, K>) => Promise<T>): Promise<T>;
}

/** Names the payment a settlement will locate with its row locked (see SettlementUnitOfWork). */
export type SettlementLock = { readonly channel: LocatorChannel; readonly key: string };

/**
 * Runs the settlement of one Daraja answer in a transaction, which it may share with the settlements given at
 * about the same time (group commit): all of them commit together, and each caller's promise resolves only after
 * that commit. The payments that `lock` names are read and locked up front, in one statement, before any work of
 * the group runs. When a work throws, the group is rolled back: that work is run again alone (its caller gets
 * what it does then) and the others again without it. So `work` must do nothing outside the repositories that it
 * cannot do twice. A unit of work that does not group runs each work as `UnitOfWork.run` would.
 */
export interface SettlementUnitOfWork {
  settle<T>(lock: SettlementLock, work: (repositories: Repositories) => Promise<T>): Promise<T>;
}

/** Settles every work in a transaction of its own: what an adapter without group commit offers. */
export function ungroupedSettlements(uow: UnitOfWork): SettlementUnitOfWork {
  return { settle: (_lock, work) => uow.run(work) };
}

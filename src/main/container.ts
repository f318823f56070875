import "reflect-metadata";
import { join } from "node:path";
import { type DependencyContainer, container as rootContainer } from "tsyringe";
import { BackgroundTasks } from "../adapters/background/background-tasks.ts";
import { C2bPullSchedule } from "../adapters/background/c2b-pull-schedule.ts";
import { PollingResultWaiter } from "../adapters/background/polling-result-waiter.ts";
import { ReconcilerLoop } from "../adapters/background/reconciler-loop.ts";
import { Shutdown } from "../adapters/background/shutdown.ts";
import { WebhookDispatcher } from "../adapters/background/webhook-dispatcher.ts";
import { SystemClock } from "../adapters/clock/system-clock.ts";
import { AesGcmSecretBox } from "../adapters/crypto/aes-gcm-secret-box.ts";
import { Argon2PasswordHasher, DEFAULT_HASH_CONCURRENCY } from "../adapters/crypto/argon2-password-hasher.ts";
import { Hs256TokenIssuer } from "../adapters/crypto/hs256-token-issuer.ts";
import { RandomAccessSecrets } from "../adapters/crypto/random-access-secrets.ts";
import { RandomCallbackSecrets } from "../adapters/crypto/random-callback-secrets.ts";
import { RandomReceiptTokens } from "../adapters/crypto/random-receipt-tokens.ts";
import { RandomReferenceGenerator } from "../adapters/crypto/random-reference-generator.ts";
import { ZxcvbnPasswordStrength } from "../adapters/crypto/zxcvbn-password-strength.ts";
import { darajaCertificate } from "../adapters/daraja/daraja-certificate.ts";
import { DarajaGateway } from "../adapters/daraja/daraja-gateway.ts";
import { createApp, HTTP_USE_CASES } from "../adapters/http/app.ts";
import { AuthRateLimiter, memoryRateLimitStore } from "../adapters/http/auth-rate-limiter.ts";
import { clientAddressResolver, forwardedHeadersTrusted } from "../adapters/http/client-address.ts";
import { idempotent } from "../adapters/http/idempotency.ts";
import { pathRedactor } from "../adapters/http/redact-path.ts";
import { SEED_CALLBACK_PATH } from "../adapters/http/routes/mpesa-callback-routes.ts";
import { UuidV7IdGenerator } from "../adapters/ids/uuid-v7-id-generator.ts";
import { InMemoryIdempotencyStore } from "../adapters/in-memory/in-memory-idempotency-store.ts";
import { InMemorySharedTokenStore } from "../adapters/in-memory/in-memory-shared-token-store.ts";
import { InMemoryUnitOfWork } from "../adapters/in-memory/in-memory-unit-of-work.ts";
import type { Logger } from "../adapters/logging/logger.ts";
import { PrometheusMetrics } from "../adapters/metrics/prometheus-metrics.ts";
import { LocalClusterLock, PostgresClusterLock } from "../adapters/persistence/cluster-lock.ts";
import type { Database } from "../adapters/persistence/database.ts";
import { databaseRateLimitStore } from "../adapters/persistence/database-rate-limit-store.ts";
import { DatabaseSharedTokenStore } from "../adapters/persistence/database-shared-token-store.ts";
import { MikroOrmIdempotencyStore } from "../adapters/persistence/mikro-orm-idempotency-store.ts";
import { GroupCommitSettlements } from "../adapters/persistence/repositories/group-commit-settlements.ts";
import { MikroOrmUnitOfWork } from "../adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { FileSpool } from "../adapters/spool/file-spool.ts";
import { SpoolReplayer } from "../adapters/spool/spool-replayer.ts";
import { JitteredRetrySchedule } from "../adapters/webhooks/jittered-retry-schedule.ts";
import { RandomWebhookSecrets } from "../adapters/webhooks/random-webhook-secrets.ts";
import { UndiciWebhookTransport } from "../adapters/webhooks/undici-webhook-transport.ts";
import { AcceptInvitationAsUser } from "../application/access/accept-invitation.ts";
import { AddMember } from "../application/access/add-member.ts";
import { ChangeMemberRole } from "../application/access/change-member-role.ts";
import { CreateApiKey } from "../application/access/create-api-key.ts";
import { ListApiKeys } from "../application/access/list-api-keys.ts";
import { ListMembers } from "../application/access/list-members.ts";
import { RemoveMember } from "../application/access/remove-member.ts";
import { RevokeApiKey } from "../application/access/revoke-api-key.ts";
import { WithdrawInvitation } from "../application/access/withdraw-invitation.ts";
import { Authenticate } from "../application/accounts/authenticate.ts";
import { ChangePassword } from "../application/accounts/change-password.ts";
import { CreateBusiness } from "../application/accounts/create-business.ts";
import { GetAccount } from "../application/accounts/get-account.ts";
import { GetBusiness } from "../application/accounts/get-business.ts";
import { ListBusinesses } from "../application/accounts/list-businesses.ts";
import { SignIn } from "../application/accounts/sign-in.ts";
import { SignOut } from "../application/accounts/sign-out.ts";
import { SignUp } from "../application/accounts/sign-up.ts";
import { ConfirmC2bPayment } from "../application/c2b/confirm-c2b-payment.ts";
import { GetC2bPayment } from "../application/c2b/get-c2b-payment.ts";
import { ListC2bPayments } from "../application/c2b/list-c2b-payments.ts";
import { PullC2bPayments } from "../application/c2b/pull-c2b-payments.ts";
import { ReceiveC2bConfirmation } from "../application/c2b/receive-c2b-confirmation.ts";
import { ReceiveC2bStatusResult } from "../application/c2b/receive-c2b-status-result.ts";
import { RegisterC2bUrls } from "../application/c2b/register-c2b-urls.ts";
import { ValidateC2bPayment } from "../application/c2b/validate-c2b-payment.ts";
import { CheckBalance } from "../application/lookups/check-balance.ts";
import { GetLookupQuery } from "../application/lookups/get-lookup-query.ts";
import { LookUpTransaction } from "../application/lookups/look-up-transaction.ts";
import { lookupResultKind, ReceiveLookupResult } from "../application/lookups/receive-lookup-result.ts";
import { GetReconcilerBacklog } from "../application/operations/get-reconciler-backlog.ts";
import { PurgeCallbackAudit } from "../application/operations/purge-callback-audit.ts";
import { PurgePushLog } from "../application/operations/purge-push-log.ts";
import { configVerificationKind } from "../application/payment-configs/config-verification-kind.ts";
import { GetPaymentConfig } from "../application/payment-configs/get-payment-config.ts";
import { SetUpPaymentConfig } from "../application/payment-configs/set-up-payment-config.ts";
import { VerifyPaymentConfig } from "../application/payment-configs/verify-payment-config.ts";
import { ChangePayoutLimits } from "../application/payouts/change-payout-limits.ts";
import { GetPayout } from "../application/payouts/get-payout.ts";
import { GetPayoutConfig } from "../application/payouts/get-payout-config.ts";
import { GetPayoutStory } from "../application/payouts/get-payout-story.ts";
import { InitiatePayout } from "../application/payouts/initiate-payout.ts";
import { ListPayouts } from "../application/payouts/list-payouts.ts";
import { QueryPendingPayouts } from "../application/payouts/query-pending-payouts.ts";
import { payoutCallbackKind, ReceivePayoutCallback } from "../application/payouts/receive-payout-callback.ts";
import { SetUpPayoutConfig } from "../application/payouts/set-up-payout-config.ts";
import { ungroupedSettlements } from "../application/ports/unit-of-work.ts";
import { GetRefund } from "../application/refunds/get-refund.ts";
import { InitiateRefund } from "../application/refunds/initiate-refund.ts";
import { ListRefundsOfReceipt } from "../application/refunds/list-refunds-of-receipt.ts";
import { QueryPendingRefunds } from "../application/refunds/query-pending-refunds.ts";
import { ReceiveReversalCallback } from "../application/refunds/receive-reversal-callback.ts";
import { refundsFollowPayouts } from "../application/refunds/refunds-follow-payouts.ts";
import { ArchiveProduct } from "../application/sales/archive-product.ts";
import { CreateProduct } from "../application/sales/create-product.ts";
import { ExportMoneyIn } from "../application/sales/export-money-in.ts";
import { GetProduct } from "../application/sales/get-product.ts";
import { GetPublicReceipt } from "../application/sales/get-public-receipt.ts";
import { GetSale } from "../application/sales/get-sale.ts";
import { InitiateSale } from "../application/sales/initiate-sale.ts";
import { ListMoneyIn } from "../application/sales/list-money-in.ts";
import { ListProducts } from "../application/sales/list-products.ts";
import { ListSales } from "../application/sales/list-sales.ts";
import { ReleaseLapsedHolds } from "../application/sales/release-lapsed-holds.ts";
import { RestockProduct } from "../application/sales/restock-product.ts";
import { saleKind } from "../application/sales/sale-kind.ts";
import { ShareReceipt } from "../application/sales/share-receipt.ts";
import { UpdateProduct } from "../application/sales/update-product.ts";
import { ReceiveStatusResult } from "../application/shared/receive-status-result.ts";
import { CheckPendingPayments } from "../application/stk/check-pending-payments.ts";
import { ConfirmStkCallback } from "../application/stk/confirm-stk-callback.ts";
import { ExpireStalePayments } from "../application/stk/expire-stale-payments.ts";
import { ReceiveStkCallback } from "../application/stk/receive-stk-callback.ts";
import { StkPaymentKinds } from "../application/stk/stk-payment-kinds.ts";
import { GetWallet } from "../application/wallet/get-wallet.ts";
import { GetWalletPurchase } from "../application/wallet/get-wallet-purchase.ts";
import { InitiateWalletPurchase } from "../application/wallet/initiate-wallet-purchase.ts";
import { walletPurchaseKind } from "../application/wallet/wallet-purchase-kind.ts";
import { CreateWebhookEndpoint } from "../application/webhooks/create-webhook-endpoint.ts";
import { DeleteWebhookEndpoint } from "../application/webhooks/delete-webhook-endpoint.ts";
import { DeliverWebhooks } from "../application/webhooks/deliver-webhooks.ts";
import { FanOutEvents } from "../application/webhooks/fan-out-events.ts";
import { GetEvent } from "../application/webhooks/get-event.ts";
import { ListEvents } from "../application/webhooks/list-events.ts";
import { ListWebhookEndpoints } from "../application/webhooks/list-webhook-endpoints.ts";
import { PurgeEvents } from "../application/webhooks/purge-events.ts";
import { RedeliverEvent } from "../application/webhooks/redeliver-event.ts";
import { RotateWebhookSecret } from "../application/webhooks/rotate-webhook-secret.ts";
import { SendTestWebhook } from "../application/webhooks/send-test-webhook.ts";
import { UpdateWebhookEndpoint } from "../application/webhooks/update-webhook-endpoint.ts";
import type { Config } from "./config.ts";

/** How long a look-up waits for Daraja's result callback, and how often it looks. */
const LOOKUP_WAIT_MS = 10_000;
const LOOKUP_POLL_MS = 200;

import type { DarajaConnection } from "./daraja-connection.ts";
import type { Secrets } from "./development-secrets.ts";
import { PORTS, provide, resolveAll, SERVICES, SETTINGS, type Token, useCase } from "./tokens.ts";
import { UnconfiguredGateway } from "./unconfigured-gateway.ts";

/** What the composition root needs from outside: things opened or read before wiring. */
export type Infrastructure = {
  readonly logger: Logger;
  /** Null: in-memory adapters instead of a database (fast tests and demos). */
  readonly database: Database | null;
  readonly secrets: Secrets;
  /** Where Daraja (or the simulator) is; null in tests that never reach it. */
  readonly daraja: DarajaConnection | null;
};

/**
 * The composition root: every port gets its adapter here, by factory registration against the port's token (no
 * decorators, no reflection metadata), and every use case is registered under its class with the ports and
 * settings it declares. Each call builds an independent child container; a test may register a different
 * adapter for a port's token before resolving anything.
 */
export function buildContainer(
  config: Config,
  infrastructure: Infrastructure,
  /** Registers other adapters (a test's fixed clock, say) on the ports' tokens, before anything is resolved. */
  override: (container: DependencyContainer) => void = () => undefined,
): DependencyContainer {
  const c = rootContainer.createChildContainer();
  registerSettings(c, config, infrastructure);
  registerPorts(c, config, infrastructure);
  registerUseCases(c);
  registerServices(c, config, infrastructure);
  override(c);
  return c;
}

function registerSettings(c: DependencyContainer, config: Config, infrastructure: Infrastructure): void {
  const setting = <T>(key: Token<T>, value: T) => c.register<T>(key, { useValue: value });
  setting(SETTINGS.callbackUrl, config.mpesa.callbackUrl);
  setting(SETTINGS.liveKeys, config.mpesa.environment === "production");
  setting(SETTINGS.wallet, {
    shortcode: config.mpesa.walletShortcode,
    accountReference: config.mpesa.walletAccountReference,
    passkey: infrastructure.daraja?.walletPasskey ?? null,
    tokensPerKes: config.walletTokensPerKes,
  });
  setting(SETTINGS.stockHoldSeconds, config.stockHoldSeconds);
  setting(SETTINGS.reconcileAfterSeconds, config.reconcileAfterSeconds);
  setting(SETTINGS.expireAfterSeconds, config.expireAfterSeconds);
  setting(SETTINGS.callbackAuditDays, config.callbackAuditDays);
  setting(SETTINGS.allowUnverifiedPaymentConfig, config.allowUnverifiedPaymentConfig);
  setting(SETTINGS.pushLimits, config.pushLimits);
  setting(SETTINGS.maxBusinessesPerUser, config.maxBusinessesPerUser);
  setting(SETTINGS.eventRetentionDays, config.eventRetentionDays);
  setting(SETTINGS.webhookDisableAfterHours, config.webhooks.disableAfterHours);
  setting(SETTINGS.payoutStatusQueries, {
    graceSeconds: config.reconcileAfterSeconds,
    giveUpAfterSeconds: config.expireAfterSeconds,
  });
}

/** Every port gets its adapter: on the database when there is one, in memory otherwise. */
function registerPorts(c: DependencyContainer, config: Config, infrastructure: Infrastructure): void {
  const { database, daraja } = infrastructure;
  c.register(SERVICES.secrets, { useValue: infrastructure.secrets });
  provide(c, PORTS.clock, () => new SystemClock());
  provide(c, PORTS.ids, () => new UuidV7IdGenerator());
  provide(c, PORTS.unitOfWork, () =>
    database === null ? new InMemoryUnitOfWork() : new MikroOrmUnitOfWork(database),
  );
  // Trusted callbacks settle in groups on the database (group commit); in memory, each on its own.
  provide(c, PORTS.settlementUnitOfWork, (get) =>
    database === null
      ? ungroupedSettlements(get(PORTS.unitOfWork))
      : new GroupCommitSettlements(database, {
          max: config.settlementBatch.max,
          windowMs: config.settlementBatch.windowMs,
          // Groups in flight at once, each on a connection: half the pool at most, leaving the rest to the others.
          inFlight: Math.max(1, Math.min(4, Math.floor(config.databasePoolMax / 2))),
          observer: get(SERVICES.metrics),
        }),
  );
  // The Daraja client is built on first use, and closed at shutdown only if it was.
  let opened: DarajaGateway | null = null;
  provide(c, PORTS.paymentGateway, (get) => {
    if (daraja === null) {
      return new UnconfiguredGateway();
    }
    opened = new DarajaGateway({
      baseUrl: daraja.baseUrl,
      consumerKey: daraja.consumerKey,
      consumerSecret: daraja.consumerSecret,
      certificate: darajaCertificate(config.mpesa.environment),
      clock: get(PORTS.clock),
      observer: get(SERVICES.metrics),
      // Instances on one database share each app's token: a new one from Daraja ends the previous one.
      sharedTokens:
        database === null
          ? new InMemorySharedTokenStore()
          : new DatabaseSharedTokenStore(database.orm, get(PORTS.secretBox), (error, operation) =>
              get(SERVICES.logger).warn(
                { err: error, operation },
                "the shared Daraja token store failed; going on with this instance's own token",
              ),
            ),
    });
    return opened;
  });
  c.register(SERVICES.closeDaraja, { useValue: async () => opened?.close() });
  c.register(PORTS.paymentMetrics, { useToken: SERVICES.metrics });
  provide(
    c,
    PORTS.passwordHasher,
    () => new Argon2PasswordHasher(undefined, DEFAULT_HASH_CONCURRENCY, config.authHashQueueMax),
  );
  provide(c, PORTS.passwordStrength, () => new ZxcvbnPasswordStrength(config.authHashQueueMax));
  provide(
    c,
    PORTS.tokenIssuer,
    (get) => new Hs256TokenIssuer(get(SERVICES.secrets).jwtSecret, config.jwtTtlSeconds, get(PORTS.clock)),
  );
  provide(
    c,
    PORTS.secretBox,
    (get) =>
      new AesGcmSecretBox(get(SERVICES.secrets).encryptionKey, get(SERVICES.secrets).retiredEncryptionKeys),
  );
  provide(c, PORTS.callbackSecrets, () => new RandomCallbackSecrets());
  provide(c, PORTS.accessSecrets, () => new RandomAccessSecrets());
  provide(c, PORTS.receiptTokens, () => new RandomReceiptTokens());
  // Production sends only to https, and never to a private, loopback or link-local address (by name or by the
  // connection's own DNS answer) unless WEBHOOK_ALLOW_PRIVATE_URLS lifts the address rule.
  const production = config.mpesa.environment === "production";
  provide(
    c,
    PORTS.webhookTransport,
    () =>
      new UndiciWebhookTransport({
        requireHttps: production,
        publicAddressesOnly: production && !config.webhooks.allowPrivateUrls,
      }),
  );
  provide(c, PORTS.webhookSecrets, () => new RandomWebhookSecrets());
  provide(c, PORTS.retrySchedule, () => new JitteredRetrySchedule(config.webhooks.retryScheduleSeconds));
  provide(c, PORTS.references, () => new RandomReferenceGenerator());
  // A look-up waits up to 10 s for its result, polling its row (the callback may land on another instance), and
  // answers at once when the server begins to shut down or when too many already wait.
  provide(
    c,
    PORTS.resultWaiter,
    (get) =>
      new PollingResultWaiter({
        timeoutMs: LOOKUP_WAIT_MS,
        intervalMs: LOOKUP_POLL_MS,
        maxWaiting: config.lookupMaxWaiting,
        signal: get(SERVICES.shutdown).signal,
      }),
  );
  provide(c, PORTS.idempotencyStore, () =>
    database === null ? new InMemoryIdempotencyStore() : new MikroOrmIdempotencyStore(database.orm),
  );
}

/** Each use case, built with exactly the ports and settings its constructor declares. */
function registerUseCases(c: DependencyContainer): void {
  const {
    unitOfWork: uow,
    clock,
    ids,
    paymentGateway: gateway,
    paymentMetrics: metrics,
    secretBox,
    callbackSecrets,
    accessSecrets: secrets,
    receiptTokens,
    references,
    passwordHasher: hasher,
    passwordStrength,
    tokenIssuer: tokens,
  } = PORTS;
  const { callbackUrl, wallet, pushLimits, liveKeys } = SETTINGS;
  const stkKinds = SERVICES.stkPaymentKinds;

  // Every kind of STK payment the payment seam settles: a new kind is one file and one line here.
  provide(c, stkKinds, (get) => {
    const sealed = {
      get secretBox() {
        return get(PORTS.secretBox);
      },
    };
    return new StkPaymentKinds([
      walletPurchaseKind({ wallet: get(SETTINGS.wallet) }),
      saleKind(sealed),
      configVerificationKind(sealed),
    ]);
  });

  useCase(c, SignUp, { uow, ids, clock, hasher, passwordStrength, tokens, secrets });
  useCase(c, SignIn, { uow, hasher, tokens });
  useCase(c, Authenticate, { uow, tokens, secrets, clock, liveKeys });
  useCase(c, ListMembers, { uow, clock });
  useCase(c, AddMember, { uow, ids, clock, secrets });
  useCase(c, ChangeMemberRole, { uow });
  useCase(c, RemoveMember, { uow });
  useCase(c, WithdrawInvitation, { uow });
  useCase(c, AcceptInvitationAsUser, { uow, secrets, clock });
  useCase(c, CreateApiKey, { uow, ids, clock, secrets, liveKeys });
  useCase(c, ListApiKeys, { uow });
  useCase(c, RevokeApiKey, { uow, clock });
  useCase(c, SignOut, { uow, tokens });
  useCase(c, ChangePassword, { uow, clock, hasher, passwordStrength, tokens });
  useCase(c, GetAccount, { uow });
  useCase(c, CreateBusiness, { uow, ids, clock, maxBusinessesPerUser: SETTINGS.maxBusinessesPerUser });
  useCase(c, ListBusinesses, { uow });
  useCase(c, GetBusiness, { uow });

  useCase(c, InitiateWalletPurchase, {
    uow,
    ids,
    clock,
    gateway,
    callbackSecrets,
    wallet,
    callbackUrl,
    metrics,
    pushLimits,
  });
  useCase(c, GetWalletPurchase, { uow });
  useCase(c, GetWallet, { uow });

  useCase(c, ReceiveStkCallback, {
    uow,
    ids,
    clock,
    callbackSecrets,
    metrics,
    stkKinds,
    settlements: PORTS.settlementUnitOfWork,
  });
  useCase(c, ConfirmStkCallback, { uow, ids, clock, gateway, metrics, stkKinds });
  useCase(c, CheckPendingPayments, {
    uow,
    ids,
    clock,
    gateway,
    metrics,
    stkKinds,
    reconcileAfterSeconds: SETTINGS.reconcileAfterSeconds,
  });
  useCase(c, ExpireStalePayments, {
    uow,
    ids,
    clock,
    metrics,
    stkKinds,
    expireAfterSeconds: SETTINGS.expireAfterSeconds,
  });

  useCase(c, SetUpPaymentConfig, { uow, ids, clock, secretBox });
  useCase(c, GetPaymentConfig, { uow });
  useCase(c, VerifyPaymentConfig, {
    uow,
    ids,
    clock,
    gateway,
    secretBox,
    callbackSecrets,
    callbackUrl,
    metrics,
    pushLimits,
  });

  useCase(c, CreateProduct, { uow, ids, clock });
  useCase(c, ListProducts, { uow });
  useCase(c, GetProduct, { uow });
  useCase(c, UpdateProduct, { uow });
  useCase(c, RestockProduct, { uow });
  useCase(c, ArchiveProduct, { uow, clock });
  useCase(c, InitiateSale, {
    uow,
    ids,
    clock,
    gateway,
    secretBox,
    callbackSecrets,
    references,
    callbackUrl,
    metrics,
    stockHoldSeconds: SETTINGS.stockHoldSeconds,
    allowUnverifiedPaymentConfig: SETTINGS.allowUnverifiedPaymentConfig,
    pushLimits,
  });
  useCase(c, GetSale, { uow });
  useCase(c, ListSales, { uow });
  useCase(c, ListMoneyIn, { uow });
  useCase(c, ExportMoneyIn, { uow });
  useCase(c, ShareReceipt, { uow, receiptTokens });
  useCase(c, GetPublicReceipt, { uow });
  useCase(c, ReleaseLapsedHolds, { uow, clock, ids });

  useCase(c, SetUpPayoutConfig, { uow, ids, clock, secretBox });
  const payoutFollower = SERVICES.payoutFollower;
  provide(c, payoutFollower, () => refundsFollowPayouts);
  useCase(c, InitiatePayout, {
    uow,
    ids,
    clock,
    gateway,
    callbackSecrets,
    secretBox,
    callbackUrl,
    payoutFollower,
  });
  useCase(c, GetPayout, { uow });
  useCase(c, GetPayoutStory, { uow });
  useCase(c, GetPayoutConfig, { uow });
  useCase(c, ChangePayoutLimits, { uow });
  useCase(c, ListPayouts, { uow });
  useCase(c, ReceivePayoutCallback, { uow, ids, clock, callbackSecrets, payoutFollower });
  useCase(c, QueryPendingPayouts, {
    uow,
    ids,
    clock,
    gateway,
    callbackSecrets,
    secretBox,
    callbackUrl,
    payoutStatusQueries: SETTINGS.payoutStatusQueries,
  });

  useCase(c, InitiateRefund, { uow, ids, clock, gateway, callbackSecrets, secretBox, callbackUrl });
  useCase(c, GetRefund, { uow });
  useCase(c, ListRefundsOfReceipt, { uow });
  useCase(c, ReceiveReversalCallback, { uow, ids, clock, callbackSecrets });
  useCase(c, QueryPendingRefunds, {
    uow,
    gateway,
    callbackSecrets,
    secretBox,
    callbackUrl,
    payoutStatusQueries: SETTINGS.payoutStatusQueries,
  });

  const { webhookTransport, webhookSecrets } = PORTS;
  useCase(c, CreateWebhookEndpoint, { uow, ids, clock, secretBox, webhookSecrets, webhookTransport });
  useCase(c, ListWebhookEndpoints, { uow });
  useCase(c, UpdateWebhookEndpoint, { uow, webhookTransport });
  useCase(c, DeleteWebhookEndpoint, { uow });
  useCase(c, RotateWebhookSecret, { uow, clock, secretBox, webhookSecrets });
  useCase(c, SendTestWebhook, { uow, ids, clock });
  useCase(c, ListEvents, { uow });
  useCase(c, GetEvent, { uow });
  useCase(c, RedeliverEvent, { uow, ids, clock });
  useCase(c, FanOutEvents, { uow, ids, clock });
  useCase(c, DeliverWebhooks, {
    uow,
    ids,
    clock,
    secretBox,
    webhookTransport,
    retrySchedule: PORTS.retrySchedule,
    disableAfterHours: SETTINGS.webhookDisableAfterHours,
  });
  useCase(c, PurgeEvents, { uow, clock, eventRetentionDays: SETTINGS.eventRetentionDays });
  useCase(c, ReceiveC2bConfirmation, { uow, ids, clock, callbackSecrets, stkKinds });
  useCase(c, RegisterC2bUrls, { uow, ids, clock, gateway, secretBox, callbackSecrets, callbackUrl });
  useCase(c, ListC2bPayments, { uow });
  useCase(c, GetC2bPayment, { uow });
  useCase(c, ValidateC2bPayment, { uow, callbackSecrets });
  useCase(c, PullC2bPayments, { uow, ids, clock, gateway, secretBox, stkKinds });
  useCase(c, ConfirmC2bPayment, { uow, gateway, secretBox, callbackSecrets, callbackUrl });
  useCase(c, ReceiveC2bStatusResult, { uow, ids, clock, callbackSecrets, stkKinds });

  const waiter = PORTS.resultWaiter;
  useCase(c, LookUpTransaction, {
    uow,
    ids,
    clock,
    gateway,
    secretBox,
    callbackSecrets,
    callbackUrl,
    waiter,
  });
  useCase(c, CheckBalance, { uow, ids, clock, gateway, secretBox, callbackSecrets, callbackUrl, waiter });
  useCase(c, GetLookupQuery, { uow });
  useCase(c, ReceiveLookupResult, { uow, ids, clock, callbackSecrets });
  // The Transaction Status paths: payouts' status queries and look-ups share them, the token telling them apart.
  const statusTokenKinds = SERVICES.statusTokenKinds;
  provide(c, statusTokenKinds, (get) => ({
    payout: payoutCallbackKind({ ids: get(ids), payoutFollower: get(payoutFollower) }),
    lookup: lookupResultKind,
  }));
  useCase(c, ReceiveStatusResult, { uow, ids, clock, callbackSecrets, kinds: statusTokenKinds });

  useCase(c, GetReconcilerBacklog, { uow, stkKinds });
  useCase(c, PurgePushLog, { uow, clock });
  useCase(c, PurgeCallbackAudit, { uow, clock, callbackAuditDays: SETTINGS.callbackAuditDays });
}

/** The HTTP app, the callback spool, metrics and background work. */
function registerServices(c: DependencyContainer, config: Config, infrastructure: Infrastructure): void {
  const { database } = infrastructure;
  c.register(SERVICES.logger, { useValue: infrastructure.logger });
  c.register(SERVICES.readiness, {
    useValue: () => (database === null ? Promise.resolve(true) : database.isReachable()),
  });
  // On a database the counts live in it (shared by every instance on PostgreSQL); the in-memory adapters keep
  // them in this process.
  provide(
    c,
    SERVICES.authRateLimiter,
    () =>
      new AuthRateLimiter(
        config.authRateLimits,
        database === null ? memoryRateLimitStore : databaseRateLimitStore(database),
      ),
  );
  provide(c, SERVICES.background, (get) => new BackgroundTasks(get(SERVICES.logger)));
  provide(c, SERVICES.shutdown, () => new Shutdown());
  // Every path the STK receiver answers on: the seed's, and MPESA_CALLBACK_URL's own when it differs.
  const callbackPaths = [SEED_CALLBACK_PATH, new URL(config.mpesa.callbackUrl).pathname];
  provide(c, SERVICES.spool, () => new FileSpool(join(config.dataDir, "spool"), config.spoolMaxBytes));
  provide(
    c,
    SERVICES.spoolReplayer,
    (get) =>
      new SpoolReplayer({
        spool: get(SERVICES.spool),
        handle: async (request) => get(SERVICES.app).fetch(request),
        isReady: get(SERVICES.readiness),
        logger: get(SERVICES.logger).child({ component: "spool" }),
        observer: get(SERVICES.metrics),
        redactPath: pathRedactor(callbackPaths),
      }),
  );
  provide(c, SERVICES.metrics, (get) => {
    const backlog = get(GetReconcilerBacklog);
    const metrics = new PrometheusMetrics(() => backlog.execute(), get(PORTS.clock));
    metrics.watchSpool(() => get(SERVICES.spool).currentUsage());
    return metrics;
  });
  provide(c, SERVICES.reconciler, (get) => {
    const batch = { limit: 50 };
    // Missed C2B confirmations are pulled every C2B_PULL_MINUTES, not on every round of the reconciler, and by
    // one instance at a time: on PostgreSQL every instance's schedule tries the same advisory lock.
    const c2bPull = new C2bPullSchedule({
      pull: () => get(PullC2bPayments).pullAll(1_000),
      lock:
        database?.target.kind === "postgres"
          ? new PostgresClusterLock(database.target.url)
          : new LocalClusterLock(),
      clock: get(PORTS.clock),
      everyMs: config.c2bPullMinutes * 60_000,
    });
    const pullC2b = async () => {
      const outcome = await c2bPull.run();
      return outcome === "not due" ? undefined : outcome;
    };
    return new ReconcilerLoop(
      [
        { name: "replay spooled callbacks", run: () => get(SERVICES.spoolReplayer).replay() },
        { name: "release lapsed stock holds", run: () => get(ReleaseLapsedHolds).execute(batch) },
        {
          name: "check pending payments",
          run: (stopping) => get(CheckPendingPayments).execute({ ...batch, stopping }),
        },
        { name: "expire stale payments", run: () => get(ExpireStalePayments).execute(batch) },
        {
          name: "query pending payouts",
          run: () => get(QueryPendingPayouts).execute({ now: get(PORTS.clock).now(), ...batch }),
        },
        {
          name: "query pending refunds",
          run: () => get(QueryPendingRefunds).execute({ now: get(PORTS.clock).now(), ...batch }),
        },
        {
          name: "purge expired idempotency keys",
          run: () => get(PORTS.idempotencyStore).purgeExpired(get(PORTS.clock).now()),
        },
        { name: "pull missed C2B payments", run: pullC2b },
        { name: "purge the push log", run: () => get(PurgePushLog).execute() },
        {
          name: "purge old callback audit records",
          run: () => get(PurgeCallbackAudit).execute({ limit: 1000 }),
        },
        {
          name: "purge old events and their deliveries",
          run: () => get(PurgeEvents).execute({ limit: 1000 }),
        },
        {
          name: "purge expired revoked tokens",
          run: () => get(PORTS.unitOfWork).run((r) => r.users.purgeRevokedTokens(get(PORTS.clock).now())),
        },
      ],
      config.reconcileIntervalSeconds * 1000,
      get(SERVICES.logger).child({ component: "reconciler" }),
    );
  });
  provide(
    c,
    SERVICES.webhookDispatcher,
    (get) =>
      new WebhookDispatcher(
        {
          fanOut: () => get(FanOutEvents).execute({ limit: 200 }),
          deliver: async (signal) => {
            const round = await get(DeliverWebhooks).execute({ limit: 8, signal });
            get(SERVICES.metrics).webhookRound(round);
            // Stale or early jobs made no attempt: a round of only those waits like an idle one.
            return round.delivered + round.failed + round.handedBack;
          },
          ...(database === null
            ? {}
            : {
                queue: {
                  start: () =>
                    database.webhookJobs.start((error) =>
                      get(SERVICES.logger)
                        .child({ component: "webhooks" })
                        .error({ err: error }, "pg-boss maintenance failed"),
                    ),
                  stop: () => database.webhookJobs.stop(),
                },
              }),
        },
        { workers: 4, idleMs: config.webhooks.pollMs },
        get(SERVICES.logger).child({ component: "webhooks" }),
      ),
  );
  provide(c, SERVICES.app, (get) => {
    const shutdown = get(SERVICES.shutdown);
    return createApp(resolveAll(c, HTTP_USE_CASES), {
      logger: get(SERVICES.logger),
      isReady: get(SERVICES.readiness),
      isDraining: () => shutdown.draining,
      observeRequest: (event) => get(SERVICES.metrics).observeRequest(event),
      metrics: () => get(SERVICES.metrics).text(),
      metricsToken: config.metricsToken,
      spool: get(SERVICES.spool),
      spoolObserver: get(SERVICES.metrics),
      rateLimiter: get(SERVICES.authRateLimiter),
      clientAddress: clientAddressResolver(config.trustProxy),
      idempotent: (route) =>
        idempotent({ store: get(PORTS.idempotencyStore), clock: get(PORTS.clock), route }),
      background: get(SERVICES.background),
      callbackPaths,
      web: {
        sessionSecret: get(SERVICES.secrets).jwtSecret,
        trustProxy: forwardedHeadersTrusted(config.trustProxy),
        idempotencyStore: get(PORTS.idempotencyStore),
        clock: get(PORTS.clock),
      },
    });
  });
}

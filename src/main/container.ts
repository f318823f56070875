import "reflect-metadata";
import { join } from "node:path";
import { type DependencyContainer, container as rootContainer } from "tsyringe";
import { BackgroundTasks } from "../adapters/background/background-tasks.ts";
import { ReconcilerLoop } from "../adapters/background/reconciler-loop.ts";
import { SystemClock } from "../adapters/clock/system-clock.ts";
import { AesGcmSecretBox } from "../adapters/crypto/aes-gcm-secret-box.ts";
import { Argon2PasswordHasher, DEFAULT_HASH_CONCURRENCY } from "../adapters/crypto/argon2-password-hasher.ts";
import { Hs256TokenIssuer } from "../adapters/crypto/hs256-token-issuer.ts";
import { RandomCallbackSecrets } from "../adapters/crypto/random-callback-secrets.ts";
import { ZxcvbnPasswordStrength } from "../adapters/crypto/zxcvbn-password-strength.ts";
import { darajaCertificate } from "../adapters/daraja/daraja-certificate.ts";
import { DarajaGateway } from "../adapters/daraja/daraja-gateway.ts";
import { createApp } from "../adapters/http/app.ts";
import { AuthRateLimiter, memoryRateLimitStore } from "../adapters/http/auth-rate-limiter.ts";
import { clientAddressResolver, forwardedHeadersTrusted } from "../adapters/http/client-address.ts";
import { idempotent } from "../adapters/http/idempotency.ts";
import { pathRedactor } from "../adapters/http/redact-path.ts";
import { SEED_CALLBACK_PATH } from "../adapters/http/routes/mpesa-callback-routes.ts";
import { UuidV7IdGenerator } from "../adapters/ids/uuid-v7-id-generator.ts";
import { InMemoryIdempotencyStore } from "../adapters/in-memory/in-memory-idempotency-store.ts";
import { InMemoryUnitOfWork } from "../adapters/in-memory/in-memory-unit-of-work.ts";
import type { Logger } from "../adapters/logging/logger.ts";
import { PrometheusMetrics } from "../adapters/metrics/prometheus-metrics.ts";
import type { Database } from "../adapters/persistence/database.ts";
import { databaseRateLimitStore } from "../adapters/persistence/database-rate-limit-store.ts";
import { MikroOrmIdempotencyStore } from "../adapters/persistence/mikro-orm-idempotency-store.ts";
import { MikroOrmUnitOfWork } from "../adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { FileSpool } from "../adapters/spool/file-spool.ts";
import { SpoolReplayer } from "../adapters/spool/spool-replayer.ts";
import { Authenticate } from "../application/accounts/authenticate.ts";
import { ChangePassword } from "../application/accounts/change-password.ts";
import { CreateBusiness } from "../application/accounts/create-business.ts";
import { GetAccount } from "../application/accounts/get-account.ts";
import { GetBusiness } from "../application/accounts/get-business.ts";
import { ListBusinesses } from "../application/accounts/list-businesses.ts";
import { SignIn } from "../application/accounts/sign-in.ts";
import { SignOut } from "../application/accounts/sign-out.ts";
import { SignUp } from "../application/accounts/sign-up.ts";
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
import { ReceivePayoutCallback } from "../application/payouts/receive-payout-callback.ts";
import { SetUpPayoutConfig } from "../application/payouts/set-up-payout-config.ts";
import { CreateProduct } from "../application/sales/create-product.ts";
import { GetSale } from "../application/sales/get-sale.ts";
import { InitiateSale } from "../application/sales/initiate-sale.ts";
import { ListProducts } from "../application/sales/list-products.ts";
import { ListSales } from "../application/sales/list-sales.ts";
import { ReleaseLapsedHolds } from "../application/sales/release-lapsed-holds.ts";
import { saleKind } from "../application/sales/sale-kind.ts";
import { UpdateProduct } from "../application/sales/update-product.ts";
import { CheckPendingPayments } from "../application/stk/check-pending-payments.ts";
import { ConfirmStkCallback } from "../application/stk/confirm-stk-callback.ts";
import { ExpireStalePayments } from "../application/stk/expire-stale-payments.ts";
import { ReceiveStkCallback } from "../application/stk/receive-stk-callback.ts";
import { StkPaymentKinds } from "../application/stk/stk-payment-kinds.ts";
import { GetWallet } from "../application/wallet/get-wallet.ts";
import { GetWalletPurchase } from "../application/wallet/get-wallet-purchase.ts";
import { InitiateWalletPurchase } from "../application/wallet/initiate-wallet-purchase.ts";
import { walletPurchaseKind } from "../application/wallet/wallet-purchase-kind.ts";
import type { Config } from "./config.ts";
import type { DarajaConnection } from "./daraja-connection.ts";
import type { Secrets } from "./development-secrets.ts";
import { provide, TOKENS } from "./tokens.ts";

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
 * The composition root: every port gets its adapter here, by factory registration (no decorators, no
 * reflection metadata). Each call builds an independent child container; a test may register a different
 * adapter for a token before resolving anything.
 */
export function buildContainer(config: Config, infrastructure: Infrastructure): DependencyContainer {
  const c = rootContainer.createChildContainer();
  c.register(TOKENS.config, { useValue: config });
  c.register(TOKENS.secrets, { useValue: infrastructure.secrets });
  c.register(TOKENS.logger, { useValue: infrastructure.logger });
  const { database } = infrastructure;
  c.register(TOKENS.readiness, {
    useValue: () => (database === null ? Promise.resolve(true) : database.isReachable()),
  });

  provide(c, TOKENS.clock, () => new SystemClock());
  provide(c, TOKENS.ids, () => new UuidV7IdGenerator());
  provide(c, TOKENS.unitOfWork, () =>
    database === null ? new InMemoryUnitOfWork() : new MikroOrmUnitOfWork(database.orm),
  );
  provide(c, TOKENS.paymentGateway, (get) => {
    const { daraja } = infrastructure;
    if (daraja === null) {
      throw new Error("no Daraja connection was configured for this container");
    }
    return new DarajaGateway({
      baseUrl: daraja.baseUrl,
      consumerKey: daraja.consumerKey,
      consumerSecret: daraja.consumerSecret,
      certificate: darajaCertificate(config.mpesa.environment),
      clock: get(TOKENS.clock),
      observer: get(TOKENS.metrics),
    });
  });
  provide(
    c,
    TOKENS.passwordHasher,
    () => new Argon2PasswordHasher(undefined, DEFAULT_HASH_CONCURRENCY, config.authHashQueueMax),
  );
  provide(c, TOKENS.passwordStrength, () => new ZxcvbnPasswordStrength(config.authHashQueueMax));
  provide(
    c,
    TOKENS.tokenIssuer,
    (get) => new Hs256TokenIssuer(get(TOKENS.secrets).jwtSecret, config.jwtTtlSeconds, get(TOKENS.clock)),
  );
  // On a database the counts live in it (shared by every instance on PostgreSQL); the in-memory adapters keep
  // them in this process.
  provide(
    c,
    TOKENS.authRateLimiter,
    () =>
      new AuthRateLimiter(
        config.authRateLimits,
        database === null ? memoryRateLimitStore : databaseRateLimitStore(database),
      ),
  );
  provide(
    c,
    TOKENS.secretBox,
    (get) =>
      new AesGcmSecretBox(get(TOKENS.secrets).encryptionKey, get(TOKENS.secrets).retiredEncryptionKeys),
  );
  provide(c, TOKENS.callbackSecrets, () => new RandomCallbackSecrets());
  provide(c, TOKENS.idempotencyStore, () =>
    database === null ? new InMemoryIdempotencyStore() : new MikroOrmIdempotencyStore(database.orm),
  );
  provide(c, TOKENS.background, (get) => new BackgroundTasks(get(TOKENS.logger)));
  // Every path the STK receiver answers on: the seed's, and MPESA_CALLBACK_URL's own when it differs.
  const callbackPaths = [SEED_CALLBACK_PATH, new URL(config.mpesa.callbackUrl).pathname];
  provide(c, TOKENS.spool, () => new FileSpool(join(config.dataDir, "spool"), config.spoolMaxBytes));
  provide(
    c,
    TOKENS.spoolReplayer,
    (get) =>
      new SpoolReplayer({
        spool: get(TOKENS.spool),
        handle: async (request) => get(TOKENS.app).fetch(request),
        isReady: get(TOKENS.readiness),
        logger: get(TOKENS.logger).child({ component: "spool" }),
        observer: get(TOKENS.metrics),
        redactPath: pathRedactor(callbackPaths),
      }),
  );
  provide(c, TOKENS.metrics, (get) => {
    const backlog = new GetReconcilerBacklog({
      uow: get(TOKENS.unitOfWork),
      stkKinds: get(TOKENS.stkPaymentKinds),
    });
    const metrics = new PrometheusMetrics(() => backlog.execute(), get(TOKENS.clock));
    metrics.watchSpool(() => get(TOKENS.spool).currentUsage());
    return metrics;
  });

  const wallet = {
    shortcode: config.mpesa.walletShortcode,
    accountReference: config.mpesa.walletAccountReference,
    passkey: infrastructure.daraja?.walletPasskey ?? null,
    tokensPerKes: config.walletTokensPerKes,
  };
  // Every kind of STK payment the payment seam settles: a new kind is one file and one line here.
  provide(c, TOKENS.stkPaymentKinds, (get) => {
    const secrets = {
      get secretBox() {
        return get(TOKENS.secretBox);
      },
    };
    return new StkPaymentKinds([
      walletPurchaseKind({ wallet }),
      saleKind(secrets),
      configVerificationKind(secrets),
    ]);
  });
  // Every use case takes the ports it needs from this bag; each factory builds its bag lazily.
  const core = (get: <U>(token: symbol & { readonly __resolvesTo?: U }) => U) => ({
    uow: get(TOKENS.unitOfWork),
    ids: get(TOKENS.ids),
    clock: get(TOKENS.clock),
    get hasher() {
      return get(TOKENS.passwordHasher);
    },
    get tokens() {
      return get(TOKENS.tokenIssuer);
    },
    get passwordStrength() {
      return get(TOKENS.passwordStrength);
    },
    get gateway() {
      return get(TOKENS.paymentGateway);
    },
    get secretBox() {
      return get(TOKENS.secretBox);
    },
    callbackSecrets: get(TOKENS.callbackSecrets),
    metrics: get(TOKENS.metrics),
    get stkKinds() {
      return get(TOKENS.stkPaymentKinds);
    },
    wallet,
    callbackUrl: config.mpesa.callbackUrl,
    stockHoldSeconds: config.stockHoldSeconds,
    reconcileAfterSeconds: config.reconcileAfterSeconds,
    expireAfterSeconds: config.expireAfterSeconds,
    callbackAuditDays: config.callbackAuditDays,
    allowUnverifiedPaymentConfig: config.allowUnverifiedPaymentConfig,
    pushLimits: config.pushLimits,
    maxBusinessesPerUser: config.maxBusinessesPerUser,
    payoutStatusQueries: {
      graceSeconds: config.reconcileAfterSeconds,
      giveUpAfterSeconds: config.expireAfterSeconds,
    },
  });
  provide(c, TOKENS.signUp, (get) => new SignUp(core(get)));
  provide(c, TOKENS.signIn, (get) => new SignIn(core(get)));
  provide(c, TOKENS.authenticate, (get) => new Authenticate(core(get)));
  provide(c, TOKENS.signOut, (get) => new SignOut(core(get)));
  provide(c, TOKENS.changePassword, (get) => new ChangePassword(core(get)));
  provide(c, TOKENS.getAccount, (get) => new GetAccount(core(get)));
  provide(c, TOKENS.createBusiness, (get) => new CreateBusiness(core(get)));
  provide(c, TOKENS.listBusinesses, (get) => new ListBusinesses(core(get)));
  provide(c, TOKENS.getBusiness, (get) => new GetBusiness(core(get)));
  provide(c, TOKENS.initiateWalletPurchase, (get) => new InitiateWalletPurchase(core(get)));
  provide(c, TOKENS.getWalletPurchase, (get) => new GetWalletPurchase(core(get)));
  provide(c, TOKENS.getWallet, (get) => new GetWallet(core(get)));
  provide(c, TOKENS.receiveStkCallback, (get) => new ReceiveStkCallback(core(get)));
  provide(c, TOKENS.confirmStkCallback, (get) => new ConfirmStkCallback(core(get)));
  provide(c, TOKENS.setUpPaymentConfig, (get) => new SetUpPaymentConfig(core(get)));
  provide(c, TOKENS.getPaymentConfig, (get) => new GetPaymentConfig(core(get)));
  provide(c, TOKENS.verifyPaymentConfig, (get) => new VerifyPaymentConfig(core(get)));
  provide(c, TOKENS.createProduct, (get) => new CreateProduct(core(get)));
  provide(c, TOKENS.listProducts, (get) => new ListProducts(core(get)));
  provide(c, TOKENS.updateProduct, (get) => new UpdateProduct(core(get)));
  provide(c, TOKENS.initiateSale, (get) => new InitiateSale(core(get)));
  provide(c, TOKENS.getSale, (get) => new GetSale(core(get)));
  provide(c, TOKENS.listSales, (get) => new ListSales(core(get)));
  provide(c, TOKENS.checkPendingPayments, (get) => new CheckPendingPayments(core(get)));
  provide(c, TOKENS.expireStalePayments, (get) => new ExpireStalePayments(core(get)));
  provide(c, TOKENS.releaseLapsedHolds, (get) => new ReleaseLapsedHolds(core(get)));
  provide(c, TOKENS.purgePushLog, (get) => new PurgePushLog(core(get)));
  provide(c, TOKENS.purgeCallbackAudit, (get) => new PurgeCallbackAudit(core(get)));
  provide(c, TOKENS.reconciler, (get) => {
    const batch = { limit: 50 };
    return new ReconcilerLoop(
      [
        { name: "replay spooled callbacks", run: () => get(TOKENS.spoolReplayer).replay() },
        { name: "release lapsed stock holds", run: () => get(TOKENS.releaseLapsedHolds).execute(batch) },
        { name: "check pending payments", run: () => get(TOKENS.checkPendingPayments).execute(batch) },
        { name: "expire stale payments", run: () => get(TOKENS.expireStalePayments).execute(batch) },
        {
          name: "query pending payouts",
          run: () => get(TOKENS.queryPendingPayouts).execute({ now: get(TOKENS.clock).now(), ...batch }),
        },
        {
          name: "purge expired idempotency keys",
          run: () => get(TOKENS.idempotencyStore).purgeExpired(get(TOKENS.clock).now()),
        },
        { name: "purge the push log", run: () => get(TOKENS.purgePushLog).execute() },
        {
          name: "purge old callback audit records",
          run: () => get(TOKENS.purgeCallbackAudit).execute({ limit: 1000 }),
        },
        {
          name: "purge expired revoked tokens",
          run: () => get(TOKENS.unitOfWork).run((r) => r.users.purgeRevokedTokens(get(TOKENS.clock).now())),
        },
      ],
      config.reconcileIntervalSeconds * 1000,
      get(TOKENS.logger).child({ component: "reconciler" }),
    );
  });
  provide(c, TOKENS.setUpPayoutConfig, (get) => new SetUpPayoutConfig(core(get)));
  provide(c, TOKENS.initiatePayout, (get) => new InitiatePayout(core(get)));
  provide(c, TOKENS.getPayout, (get) => new GetPayout(core(get)));
  provide(c, TOKENS.getPayoutStory, (get) => new GetPayoutStory(core(get)));
  provide(c, TOKENS.getPayoutConfig, (get) => new GetPayoutConfig(core(get)));
  provide(c, TOKENS.changePayoutLimits, (get) => new ChangePayoutLimits(core(get)));
  provide(c, TOKENS.listPayouts, (get) => new ListPayouts(core(get)));
  provide(c, TOKENS.receivePayoutCallback, (get) => new ReceivePayoutCallback(core(get)));
  provide(c, TOKENS.queryPendingPayouts, (get) => new QueryPendingPayouts(core(get)));

  provide(c, TOKENS.app, (get) =>
    createApp({
      logger: get(TOKENS.logger),
      isReady: get(TOKENS.readiness),
      observeRequest: (event) => get(TOKENS.metrics).observeRequest(event),
      metrics: () => get(TOKENS.metrics).text(),
      metricsToken: config.metricsToken,
      spool: get(TOKENS.spool),
      spoolObserver: get(TOKENS.metrics),
      signUp: get(TOKENS.signUp),
      signIn: get(TOKENS.signIn),
      signOut: get(TOKENS.signOut),
      changePassword: get(TOKENS.changePassword),
      authenticate: get(TOKENS.authenticate),
      getAccount: get(TOKENS.getAccount),
      createBusiness: get(TOKENS.createBusiness),
      listBusinesses: get(TOKENS.listBusinesses),
      getBusiness: get(TOKENS.getBusiness),
      rateLimiter: get(TOKENS.authRateLimiter),
      clientAddress: clientAddressResolver(config.trustProxy),
      initiateWalletPurchase: get(TOKENS.initiateWalletPurchase),
      getWalletPurchase: get(TOKENS.getWalletPurchase),
      getWallet: get(TOKENS.getWallet),
      idempotent: (route) =>
        idempotent({ store: get(TOKENS.idempotencyStore), clock: get(TOKENS.clock), route }),
      receiveStkCallback: get(TOKENS.receiveStkCallback),
      confirmStkCallback: get(TOKENS.confirmStkCallback),
      background: get(TOKENS.background),
      callbackPaths,
      setUpPaymentConfig: get(TOKENS.setUpPaymentConfig),
      getPaymentConfig: get(TOKENS.getPaymentConfig),
      verifyPaymentConfig: get(TOKENS.verifyPaymentConfig),
      createProduct: get(TOKENS.createProduct),
      listProducts: get(TOKENS.listProducts),
      updateProduct: get(TOKENS.updateProduct),
      initiateSale: get(TOKENS.initiateSale),
      getSale: get(TOKENS.getSale),
      listSales: get(TOKENS.listSales),
      setUpPayoutConfig: get(TOKENS.setUpPayoutConfig),
      initiatePayout: get(TOKENS.initiatePayout),
      getPayout: get(TOKENS.getPayout),
      getPayoutStory: get(TOKENS.getPayoutStory),
      getPayoutConfig: get(TOKENS.getPayoutConfig),
      changePayoutLimits: get(TOKENS.changePayoutLimits),
      listPayouts: get(TOKENS.listPayouts),
      receivePayoutCallback: get(TOKENS.receivePayoutCallback),
      web: {
        sessionSecret: get(TOKENS.secrets).jwtSecret,
        trustProxy: forwardedHeadersTrusted(config.trustProxy),
        idempotencyStore: get(TOKENS.idempotencyStore),
        clock: get(TOKENS.clock),
      },
    }),
  );
  return c;
}

// tsyringe needs the Reflect polyfill loaded before it, whichever of container.ts and tokens.ts loads first.
import "reflect-metadata";
import type { Hono } from "hono";
import type { Logger } from "pino";
import type { DependencyContainer } from "tsyringe";
import { instanceCachingFactory } from "tsyringe";
import type { BackgroundTasks } from "../adapters/background/background-tasks.ts";
import type { ReconcilerLoop } from "../adapters/background/reconciler-loop.ts";
import type { DarajaGateway } from "../adapters/daraja/daraja-gateway.ts";
import type { AuthRateLimiter } from "../adapters/http/auth-rate-limiter.ts";
import type { HttpEnv } from "../adapters/http/http-env.ts";
import type { PrometheusMetrics } from "../adapters/metrics/prometheus-metrics.ts";
import type { FileSpool } from "../adapters/spool/file-spool.ts";
import type { SpoolReplayer } from "../adapters/spool/spool-replayer.ts";
import type { Authenticate } from "../application/accounts/authenticate.ts";
import type { ChangePassword } from "../application/accounts/change-password.ts";
import type { CreateBusiness } from "../application/accounts/create-business.ts";
import type { GetAccount } from "../application/accounts/get-account.ts";
import type { GetBusiness } from "../application/accounts/get-business.ts";
import type { ListBusinesses } from "../application/accounts/list-businesses.ts";
import type { SignIn } from "../application/accounts/sign-in.ts";
import type { SignOut } from "../application/accounts/sign-out.ts";
import type { SignUp } from "../application/accounts/sign-up.ts";
import type { PurgeCallbackAudit } from "../application/operations/purge-callback-audit.ts";
import type { PurgePushLog } from "../application/operations/purge-push-log.ts";
import type { GetPaymentConfig } from "../application/payment-configs/get-payment-config.ts";
import type { SetUpPaymentConfig } from "../application/payment-configs/set-up-payment-config.ts";
import type { VerifyPaymentConfig } from "../application/payment-configs/verify-payment-config.ts";
import type { ChangePayoutLimits } from "../application/payouts/change-payout-limits.ts";
import type { GetPayout } from "../application/payouts/get-payout.ts";
import type { GetPayoutConfig } from "../application/payouts/get-payout-config.ts";
import type { GetPayoutStory } from "../application/payouts/get-payout-story.ts";
import type { InitiatePayout } from "../application/payouts/initiate-payout.ts";
import type { ListPayouts } from "../application/payouts/list-payouts.ts";
import type { QueryPendingPayouts } from "../application/payouts/query-pending-payouts.ts";
import type { ReceivePayoutCallback } from "../application/payouts/receive-payout-callback.ts";
import type { SetUpPayoutConfig } from "../application/payouts/set-up-payout-config.ts";
import type { CallbackSecrets } from "../application/ports/callback-secrets.ts";
import type { Clock } from "../application/ports/clock.ts";
import type { IdGenerator } from "../application/ports/id-generator.ts";
import type { IdempotencyStore } from "../application/ports/idempotency-store.ts";
import type { PasswordHasher } from "../application/ports/password-hasher.ts";
import type { PasswordStrength } from "../application/ports/password-strength.ts";
import type { SecretBox } from "../application/ports/secret-box.ts";
import type { TokenIssuer } from "../application/ports/token-issuer.ts";
import type { UnitOfWork } from "../application/ports/unit-of-work.ts";
import type { CreateProduct } from "../application/sales/create-product.ts";
import type { GetSale } from "../application/sales/get-sale.ts";
import type { InitiateSale } from "../application/sales/initiate-sale.ts";
import type { ListProducts } from "../application/sales/list-products.ts";
import type { ListSales } from "../application/sales/list-sales.ts";
import type { ReleaseLapsedHolds } from "../application/sales/release-lapsed-holds.ts";
import type { UpdateProduct } from "../application/sales/update-product.ts";
import type { CheckPendingPayments } from "../application/stk/check-pending-payments.ts";
import type { ConfirmStkCallback } from "../application/stk/confirm-stk-callback.ts";
import type { ExpireStalePayments } from "../application/stk/expire-stale-payments.ts";
import type { ReceiveStkCallback } from "../application/stk/receive-stk-callback.ts";
import type { StkPaymentKinds } from "../application/stk/stk-payment-kinds.ts";
import type { GetWallet } from "../application/wallet/get-wallet.ts";
import type { GetWalletPurchase } from "../application/wallet/get-wallet-purchase.ts";
import type { InitiateWalletPurchase } from "../application/wallet/initiate-wallet-purchase.ts";
import type { Config } from "./config.ts";
import type { Secrets } from "./development-secrets.ts";

/** An injection token that remembers the type it resolves to. */
export type Token<T> = symbol & { readonly __resolvesTo?: T };

const token = <T>(name: string): Token<T> => Symbol(name) as Token<T>;

/** Every service the composition root wires, by role. */
export const TOKENS = {
  config: token<Config>("Config"),
  secrets: token<Secrets>("Secrets"),
  logger: token<Logger>("Logger"),
  readiness: token<() => Promise<boolean>>("Readiness"),
  unitOfWork: token<UnitOfWork>("UnitOfWork"),
  clock: token<Clock>("Clock"),
  ids: token<IdGenerator>("IdGenerator"),
  paymentGateway: token<DarajaGateway>("PaymentGateway"),
  passwordHasher: token<PasswordHasher>("PasswordHasher"),
  passwordStrength: token<PasswordStrength>("PasswordStrength"),
  tokenIssuer: token<TokenIssuer>("TokenIssuer"),
  authRateLimiter: token<AuthRateLimiter>("AuthRateLimiter"),
  signUp: token<SignUp>("SignUp"),
  signIn: token<SignIn>("SignIn"),
  authenticate: token<Authenticate>("Authenticate"),
  signOut: token<SignOut>("SignOut"),
  changePassword: token<ChangePassword>("ChangePassword"),
  getAccount: token<GetAccount>("GetAccount"),
  createBusiness: token<CreateBusiness>("CreateBusiness"),
  listBusinesses: token<ListBusinesses>("ListBusinesses"),
  getBusiness: token<GetBusiness>("GetBusiness"),
  secretBox: token<SecretBox>("SecretBox"),
  callbackSecrets: token<CallbackSecrets>("CallbackSecrets"),
  idempotencyStore: token<IdempotencyStore>("IdempotencyStore"),
  background: token<BackgroundTasks>("BackgroundTasks"),
  initiateWalletPurchase: token<InitiateWalletPurchase>("InitiateWalletPurchase"),
  getWalletPurchase: token<GetWalletPurchase>("GetWalletPurchase"),
  getWallet: token<GetWallet>("GetWallet"),
  receiveStkCallback: token<ReceiveStkCallback>("ReceiveStkCallback"),
  confirmStkCallback: token<ConfirmStkCallback>("ConfirmStkCallback"),
  setUpPaymentConfig: token<SetUpPaymentConfig>("SetUpPaymentConfig"),
  getPaymentConfig: token<GetPaymentConfig>("GetPaymentConfig"),
  verifyPaymentConfig: token<VerifyPaymentConfig>("VerifyPaymentConfig"),
  createProduct: token<CreateProduct>("CreateProduct"),
  listProducts: token<ListProducts>("ListProducts"),
  updateProduct: token<UpdateProduct>("UpdateProduct"),
  initiateSale: token<InitiateSale>("InitiateSale"),
  getSale: token<GetSale>("GetSale"),
  listSales: token<ListSales>("ListSales"),
  stkPaymentKinds: token<StkPaymentKinds>("StkPaymentKinds"),
  checkPendingPayments: token<CheckPendingPayments>("CheckPendingPayments"),
  expireStalePayments: token<ExpireStalePayments>("ExpireStalePayments"),
  releaseLapsedHolds: token<ReleaseLapsedHolds>("ReleaseLapsedHolds"),
  purgePushLog: token<PurgePushLog>("PurgePushLog"),
  purgeCallbackAudit: token<PurgeCallbackAudit>("PurgeCallbackAudit"),
  reconciler: token<ReconcilerLoop>("ReconcilerLoop"),
  metrics: token<PrometheusMetrics>("Metrics"),
  setUpPayoutConfig: token<SetUpPayoutConfig>("SetUpPayoutConfig"),
  initiatePayout: token<InitiatePayout>("InitiatePayout"),
  getPayout: token<GetPayout>("GetPayout"),
  getPayoutStory: token<GetPayoutStory>("GetPayoutStory"),
  getPayoutConfig: token<GetPayoutConfig>("GetPayoutConfig"),
  changePayoutLimits: token<ChangePayoutLimits>("ChangePayoutLimits"),
  listPayouts: token<ListPayouts>("ListPayouts"),
  receivePayoutCallback: token<ReceivePayoutCallback>("ReceivePayoutCallback"),
  queryPendingPayouts: token<QueryPendingPayouts>("QueryPendingPayouts"),
  spool: token<FileSpool>("CallbackSpool"),
  spoolReplayer: token<SpoolReplayer>("SpoolReplayer"),
  app: token<Hono<HttpEnv>>("HttpApp"),
} as const;

/** Registers a singleton built by `factory` on first use. */
export function provide<T>(
  container: DependencyContainer,
  key: Token<T>,
  factory: (resolve: <U>(dependency: Token<U>) => U) => T,
): void {
  container.register<T>(key, {
    useFactory: instanceCachingFactory<T>((c) => factory((dependency) => c.resolve(dependency))),
  });
}

export function resolve<T>(container: DependencyContainer, key: Token<T>): T {
  return container.resolve<T>(key);
}

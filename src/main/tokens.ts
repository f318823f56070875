// tsyringe needs the Reflect polyfill loaded before it, whichever of container.ts and tokens.ts loads first.
import "reflect-metadata";
import type { Hono } from "hono";
import type { Logger } from "pino";
import type { DependencyContainer, InjectionToken } from "tsyringe";
import { instanceCachingFactory } from "tsyringe";
import type { BackgroundTasks } from "../adapters/background/background-tasks.ts";
import type { ReconcilerLoop } from "../adapters/background/reconciler-loop.ts";
import type { Shutdown } from "../adapters/background/shutdown.ts";
import type { WebhookDispatcher } from "../adapters/background/webhook-dispatcher.ts";
import type { AuthRateLimiter } from "../adapters/http/auth-rate-limiter.ts";
import type { HttpEnv } from "../adapters/http/http-env.ts";
import type { PrometheusMetrics } from "../adapters/metrics/prometheus-metrics.ts";
import type { FileSpool } from "../adapters/spool/file-spool.ts";
import type { SpoolReplayer } from "../adapters/spool/spool-replayer.ts";
import type { PayoutStatusQuerySettings } from "../application/payouts/query-pending-payouts.ts";
import type { AccessSecrets } from "../application/ports/access-secrets.ts";
import type { CallbackSecrets } from "../application/ports/callback-secrets.ts";
import type { Clock } from "../application/ports/clock.ts";
import type { IdGenerator } from "../application/ports/id-generator.ts";
import type { IdempotencyStore } from "../application/ports/idempotency-store.ts";
import type { PasswordHasher } from "../application/ports/password-hasher.ts";
import type { PasswordStrength } from "../application/ports/password-strength.ts";
import type { PaymentGateway } from "../application/ports/payment-gateway.ts";
import type { PaymentMetrics } from "../application/ports/payment-metrics.ts";
import type { PayoutFollower } from "../application/ports/payout-follower.ts";
import type { ReceiptTokens } from "../application/ports/receipt-tokens.ts";
import type { ReferenceGenerator } from "../application/ports/reference-generator.ts";
import type { ResultWaiter } from "../application/ports/result-waiter.ts";
import type { SecretBox } from "../application/ports/secret-box.ts";
import type { TokenIssuer } from "../application/ports/token-issuer.ts";
import type { SettlementUnitOfWork, UnitOfWork } from "../application/ports/unit-of-work.ts";
import type {
  RetrySchedule,
  WebhookSecretGenerator,
  WebhookTransport,
} from "../application/ports/webhook-transport.ts";
import type { PushLimits } from "../application/shared/push-limits.ts";
import type { StatusTokenKinds } from "../application/shared/receive-status-result.ts";
import type { WalletPaybill } from "../application/shared/wallet-paybill.ts";
import type { StkPaymentKinds } from "../application/stk/stk-payment-kinds.ts";
import type { Secrets } from "./development-secrets.ts";

/** An injection token (a symbol, as tsyringe takes it) that remembers the type it resolves to. */
export type Token<T> = symbol & { readonly __resolvesTo?: T };

/** A class registered under itself: each use case is its own token. */
export type ClassToken<T> = new (...args: never[]) => T;

/** Anything the container resolves to a `T`. */
export type Dependency<T> = Token<T> | ClassToken<T>;

const token = <T>(name: string): Token<T> => Symbol(name) as Token<T>;

/** One token per port, typed by the port: adapters are registered against these, and tests swap them here. */
export const PORTS = {
  unitOfWork: token<UnitOfWork>("UnitOfWork"),
  settlementUnitOfWork: token<SettlementUnitOfWork>("SettlementUnitOfWork"),
  clock: token<Clock>("Clock"),
  ids: token<IdGenerator>("IdGenerator"),
  paymentGateway: token<PaymentGateway>("PaymentGateway"),
  paymentMetrics: token<PaymentMetrics>("PaymentMetrics"),
  passwordHasher: token<PasswordHasher>("PasswordHasher"),
  passwordStrength: token<PasswordStrength>("PasswordStrength"),
  tokenIssuer: token<TokenIssuer>("TokenIssuer"),
  secretBox: token<SecretBox>("SecretBox"),
  callbackSecrets: token<CallbackSecrets>("CallbackSecrets"),
  accessSecrets: token<AccessSecrets>("AccessSecrets"),
  receiptTokens: token<ReceiptTokens>("ReceiptTokens"),
  references: token<ReferenceGenerator>("ReferenceGenerator"),
  idempotencyStore: token<IdempotencyStore>("IdempotencyStore"),
  webhookTransport: token<WebhookTransport>("WebhookTransport"),
  webhookSecrets: token<WebhookSecretGenerator>("WebhookSecretGenerator"),
  retrySchedule: token<RetrySchedule>("RetrySchedule"),
  resultWaiter: token<ResultWaiter>("ResultWaiter"),
} as const;

/** The settings use cases take, each read once from the configuration. */
export const SETTINGS = {
  /** MPESA_CALLBACK_URL. */
  callbackUrl: token<string>("CallbackUrl"),
  /** MPESA_ENV=production: API keys are sk_live_, elsewhere sk_test_. */
  liveKeys: token<boolean>("LiveKeys"),
  wallet: token<WalletPaybill>("WalletPaybill"),
  stockHoldSeconds: token<number>("StockHoldSeconds"),
  reconcileAfterSeconds: token<number>("ReconcileAfterSeconds"),
  expireAfterSeconds: token<number>("ExpireAfterSeconds"),
  callbackAuditDays: token<number>("CallbackAuditDays"),
  allowUnverifiedPaymentConfig: token<boolean>("AllowUnverifiedPaymentConfig"),
  pushLimits: token<PushLimits>("PushLimits"),
  maxBusinessesPerUser: token<number>("MaxBusinessesPerUser"),
  payoutStatusQueries: token<PayoutStatusQuerySettings>("PayoutStatusQueries"),
  /** EVENT_RETENTION_DAYS. */
  eventRetentionDays: token<number>("EventRetentionDays"),
  /** WEBHOOK_DISABLE_AFTER_HOURS. */
  webhookDisableAfterHours: token<number>("WebhookDisableAfterHours"),
} as const;

/** What the process runs besides the use cases: the HTTP app, background work, and the adapters they use. */
export const SERVICES = {
  secrets: token<Secrets>("Secrets"),
  logger: token<Logger>("Logger"),
  /** True when the database answers. */
  readiness: token<() => Promise<boolean>>("Readiness"),
  metrics: token<PrometheusMetrics>("Metrics"),
  authRateLimiter: token<AuthRateLimiter>("AuthRateLimiter"),
  background: token<BackgroundTasks>("BackgroundTasks"),
  spool: token<FileSpool>("CallbackSpool"),
  spoolReplayer: token<SpoolReplayer>("SpoolReplayer"),
  reconciler: token<ReconcilerLoop>("ReconcilerLoop"),
  /** Webhook fan-out and delivery, in the background. */
  webhookDispatcher: token<WebhookDispatcher>("WebhookDispatcher"),
  /** The process's shutdown: `/ready` says 503 from its start, and waits on behalf of requests end. */
  shutdown: token<Shutdown>("Shutdown"),
  /** Every kind of STK payment the payment seam settles. */
  stkPaymentKinds: token<StkPaymentKinds>("StkPaymentKinds"),
  /** The kinds that own the Transaction Status paths' tokens: payouts and look-ups. */
  statusTokenKinds: token<StatusTokenKinds>("StatusTokenKinds"),
  /** What follows a payout when it settles: the refunds it carries. */
  payoutFollower: token<PayoutFollower>("PayoutFollower"),
  /** Closes the connections to Daraja, when any were opened. */
  closeDaraja: token<() => Promise<void>>("CloseDaraja"),
  app: token<Hono<HttpEnv>>("HttpApp"),
} as const;

/** How to build a use case's `deps`: a token or class for every field, of the field's type, and nothing else. */
export type Wiring<Deps> = { readonly [K in keyof Deps]-?: Dependency<Deps[K]> };

/** Registers a singleton built by `factory` on first use. */
export function provide<T>(
  container: DependencyContainer,
  key: Token<T>,
  factory: (resolve: <U>(dependency: Dependency<U>) => U) => T,
): void {
  container.register<T>(key, {
    useFactory: instanceCachingFactory<T>((c) => factory((dependency) => resolve(c, dependency))),
  });
}

/**
 * Registers a use case under its own class, built on first use from exactly the dependencies its constructor
 * declares: the compiler refuses a missing one, an extra one, or one of the wrong type.
 */
export function useCase<Deps extends object, T>(
  container: DependencyContainer,
  UseCase: new (deps: Deps) => T,
  wiring: NoInfer<Wiring<Deps>>,
): void {
  container.register<T>(UseCase, {
    useFactory: instanceCachingFactory<T>((c) => {
      const entries = Object.entries<Dependency<unknown>>(wiring).map(([name, dependency]) => [
        name,
        resolve(c, dependency),
      ]);
      // Each field was resolved from a dependency of its own type (checked by Wiring<Deps>).
      return new UseCase(Object.fromEntries(entries) as Deps);
    }),
  });
}

/**
 * Resolves a map of classes to their instances under the same names. Every class must have been registered
 * (tsyringe would otherwise try to build it itself, without its dependencies): none is built when one is not.
 */
export function resolveAll<M extends Readonly<Record<string, ClassToken<unknown>>>>(
  container: DependencyContainer,
  classes: M,
): { readonly [K in keyof M]: InstanceType<M[K]> } {
  const missing = Object.values(classes).filter(
    (Class) => !container.isRegistered(Class as InjectionToken<unknown>, true),
  );
  if (missing.length > 0) {
    throw new Error(`not registered in the container: ${missing.map((Class) => Class.name).join(", ")}`);
  }
  const entries = Object.entries(classes).map(([name, Class]) => [name, resolve(container, Class)]);
  // Each name maps to an instance of the class it named.
  return Object.fromEntries(entries) as { readonly [K in keyof M]: InstanceType<M[K]> };
}

export function resolve<T>(container: DependencyContainer, key: Dependency<T>): T {
  // A ClassToken is a constructor, which tsyringe takes as its own token; its arguments are never[] only so
  // that any use case's constructor fits.
  return container.resolve<T>(key as InjectionToken<T>);
}

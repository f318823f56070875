import { InMemoryPaymentGateway } from "../src/adapters/in-memory/in-memory-payment-gateway.ts";
import { InMemoryTables } from "../src/adapters/in-memory/in-memory-tables.ts";
import { InMemoryUnitOfWork } from "../src/adapters/in-memory/in-memory-unit-of-work.ts";
import { ManualClock } from "../src/adapters/in-memory/manual-clock.ts";
import { PlainSecretBox } from "../src/adapters/in-memory/plain-secret-box.ts";
import { SequentialCallbackSecrets } from "../src/adapters/in-memory/sequential-callback-secrets.ts";
import { SequentialIdGenerator } from "../src/adapters/in-memory/sequential-id-generator.ts";
import { SequentialReferenceGenerator } from "../src/adapters/in-memory/sequential-reference-generator.ts";
import { configVerificationKind } from "../src/application/payment-configs/config-verification-kind.ts";
import { VerifyPaymentConfig } from "../src/application/payment-configs/verify-payment-config.ts";
import { InitiatePayout } from "../src/application/payouts/initiate-payout.ts";
import { QueryPendingPayouts } from "../src/application/payouts/query-pending-payouts.ts";
import { ReceivePayoutCallback } from "../src/application/payouts/receive-payout-callback.ts";
import { noPaymentMetrics } from "../src/application/ports/payment-metrics.ts";
import type { Repositories } from "../src/application/ports/unit-of-work.ts";
import { InitiateRefund } from "../src/application/refunds/initiate-refund.ts";
import { QueryPendingRefunds } from "../src/application/refunds/query-pending-refunds.ts";
import { ReceiveReversalCallback } from "../src/application/refunds/receive-reversal-callback.ts";
import { refundsFollowPayouts } from "../src/application/refunds/refunds-follow-payouts.ts";
import { InitiateSale } from "../src/application/sales/initiate-sale.ts";
import { ReleaseLapsedHolds } from "../src/application/sales/release-lapsed-holds.ts";
import { saleKind } from "../src/application/sales/sale-kind.ts";
import { UpdateProduct } from "../src/application/sales/update-product.ts";
import type { PushLimits } from "../src/application/shared/push-limits.ts";
import type { WalletPaybill } from "../src/application/shared/wallet-paybill.ts";
import { CheckPendingPayments } from "../src/application/stk/check-pending-payments.ts";
import { ConfirmStkCallback } from "../src/application/stk/confirm-stk-callback.ts";
import { ExpireStalePayments } from "../src/application/stk/expire-stale-payments.ts";
import { ReceiveStkCallback } from "../src/application/stk/receive-stk-callback.ts";
import { StkPaymentKinds } from "../src/application/stk/stk-payment-kinds.ts";
import { InitiateWalletPurchase } from "../src/application/wallet/initiate-wallet-purchase.ts";
import { walletPurchaseKind } from "../src/application/wallet/wallet-purchase-kind.ts";
import { Business } from "../src/domain/business.ts";
import { Email } from "../src/domain/email.ts";
import { PaymentConfig } from "../src/domain/payment-config.ts";
import { PayoutConfig } from "../src/domain/payout-config.ts";
import { Product } from "../src/domain/product.ts";
import type { Result } from "../src/domain/result.ts";
import { SECRET_FIELDS, secretBinding } from "../src/domain/sealed-secret.ts";
import { User } from "../src/domain/user.ts";
import { FaultyUnitOfWork } from "./faulty-unit-of-work.ts";
import {
  accountNameOf,
  accountReferenceOf,
  initiatorNameOf,
  priceOf,
  productNameOf,
  shortcodeOf,
  stockOf,
} from "./values.ts";

/** The settings the money use cases run with, as the composition root reads them from the environment. */
export type WorldSettings = {
  readonly stockHoldSeconds: number;
  readonly reconcileAfterSeconds: number;
  readonly expireAfterSeconds: number;
  readonly allowUnverifiedPaymentConfig: boolean;
  readonly pushLimits: PushLimits;
  readonly wallet: WalletPaybill;
  readonly callbackUrl: string;
};

export const DEFAULT_SETTINGS: WorldSettings = {
  stockHoldSeconds: 300,
  reconcileAfterSeconds: 60,
  expireAfterSeconds: 1800,
  allowUnverifiedPaymentConfig: true,
  pushLimits: {
    perPhone: 1000,
    walletPerUserPerHour: 1000,
    verificationsPerUserPerHour: 1000,
    perBusinessPerMinute: 1000,
  },
  wallet: { shortcode: "600100", accountReference: "PAYME", passkey: "wallet-passkey", tokensPerKes: 10 },
  callbackUrl: "https://payme.test/api/mpesa/stk/callback",
};

export type WorldOptions = {
  readonly start?: Date;
  readonly settings?: Partial<WorldSettings>;
  /** What the use cases see instead of the real repositories: a deliberately broken adapter, for instance. */
  readonly wrapRepositories?: (r: Repositories) => Repositories;
};

/**
 * The money use cases of PayMe, built as the composition root builds them but over in-memory adapters: a
 * transaction log that can crash (FaultyUnitOfWork over InMemoryUnitOfWork), a manual clock, sequential ids and
 * callback tokens, a scriptable gateway. Everything is deterministic.
 */
export function buildWorld(options: WorldOptions = {}) {
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const tables = new InMemoryTables();
  const store = new InMemoryUnitOfWork(tables);
  const uow = new FaultyUnitOfWork(store, options.wrapRepositories);
  const clock = new ManualClock(options.start ?? new Date("2026-01-05T06:00:00.000Z"));
  const ids = new SequentialIdGenerator();
  const gateway = new InMemoryPaymentGateway();
  const callbackSecrets = new SequentialCallbackSecrets();
  const secretBox = new PlainSecretBox();
  const metrics = noPaymentMetrics;
  const stkKinds = new StkPaymentKinds([
    walletPurchaseKind({ wallet: settings.wallet }),
    saleKind({ secretBox }),
    configVerificationKind({ secretBox }),
  ]);
  const payoutFollower = refundsFollowPayouts;
  const base = { uow, ids, clock, gateway, callbackSecrets, secretBox, metrics, stkKinds, payoutFollower };
  const useCases = {
    initiateWalletPurchase: new InitiateWalletPurchase({ ...base, ...settings }),
    initiateSale: new InitiateSale({ ...base, ...settings, references: new SequentialReferenceGenerator() }),
    verifyPaymentConfig: new VerifyPaymentConfig({ ...base, ...settings }),
    updateProduct: new UpdateProduct({ uow }),
    receiveStkCallback: new ReceiveStkCallback(base),
    confirmStkCallback: new ConfirmStkCallback(base),
    checkPendingPayments: new CheckPendingPayments({ ...base, ...settings }),
    expireStalePayments: new ExpireStalePayments({ ...base, ...settings }),
    releaseLapsedHolds: new ReleaseLapsedHolds({ uow, clock, ids }),
    initiatePayout: new InitiatePayout({ ...base, callbackUrl: settings.callbackUrl }),
    receivePayoutCallback: new ReceivePayoutCallback(base),
    initiateRefund: new InitiateRefund({ ...base, callbackUrl: settings.callbackUrl }),
    receiveReversalCallback: new ReceiveReversalCallback(base),
    queryPendingRefunds: new QueryPendingRefunds({
      ...base,
      callbackUrl: settings.callbackUrl,
      payoutStatusQueries: {
        graceSeconds: settings.reconcileAfterSeconds,
        giveUpAfterSeconds: settings.expireAfterSeconds,
      },
    }),
    queryPendingPayouts: new QueryPendingPayouts({
      ...base,
      callbackUrl: settings.callbackUrl,
      payoutStatusQueries: {
        graceSeconds: settings.reconcileAfterSeconds,
        giveUpAfterSeconds: settings.expireAfterSeconds,
      },
    }),
  };
  const world = { settings, tables, store, uow, clock, ids, gateway, callbackSecrets, secretBox, useCases };
  return { ...world, seed: seeding(world) };
}

export type World = ReturnType<typeof buildWorld>;

/** Test data written straight to the tables (never through the crashing unit of work). */
function seeding(world: {
  store: InMemoryUnitOfWork;
  ids: SequentialIdGenerator;
  clock: ManualClock;
  secretBox: PlainSecretBox;
}) {
  const { store, ids, clock, secretBox } = world;
  return {
    async user(name = "Wanjiku"): Promise<User> {
      const id = ids.next();
      const user = User.create({
        id,
        email: must(Email.parse(`user-${id}@payme.test`)),
        name,
        phone: null,
        passwordHash: "$argon2id$fake",
        createdAt: clock.now(),
      });
      must(await store.run((r) => r.users.add(user)));
      return user;
    },

    /** A business owned by `ownerId`, with an active paybill config and an active payout config. */
    async business(
      ownerId: string,
      options: { readonly verified?: boolean; readonly shortcode?: string } = {},
    ): Promise<{ business: Business; config: PaymentConfig; payoutConfig: PayoutConfig }> {
      const business = Business.create({
        id: ids.next(),
        ownerId,
        name: "Duka La Mama",
        createdAt: clock.now(),
      });
      const configId = ids.next();
      const config = must(
        PaymentConfig.create({
          id: configId,
          businessId: business.id,
          method: "paybill",
          shortcode: shortcodeOf(options.shortcode ?? "174379"),
          storeNumber: null,
          accountReference: accountReferenceOf("DUKA1"),
          accountName: accountNameOf("Duka La Mama"),
          passkey: await secretBox.seal(
            "business-passkey",
            secretBinding(business.id, SECRET_FIELDS.passkey),
          ),
          ownApp: null,
          createdAt: clock.now(),
        }),
      );
      const payoutConfig = must(
        PayoutConfig.create({
          id: ids.next(),
          businessId: business.id,
          shortcode: shortcodeOf("600996"),
          initiatorName: initiatorNameOf("payme-initiator"),
          initiatorPassword: await secretBox.seal(
            "initiator-password",
            secretBinding(business.id, SECRET_FIELDS.initiatorPassword),
          ),
          ownApp: null,
          createdAt: clock.now(),
        }),
      );
      await store.run(async (r) => {
        await r.businesses.add(business);
        await r.paymentConfigs.add(config);
        if (options.verified === true) {
          await r.paymentConfigs.markVerified(config.id);
        }
        await r.payoutConfigs.add(payoutConfig);
      });
      return { business, config, payoutConfig };
    },

    async product(
      businessId: string,
      options: { readonly stock: number; readonly price?: number; readonly name?: string },
    ): Promise<Product> {
      const product = Product.create({
        id: ids.next(),
        businessId,
        name: productNameOf(options.name ?? "Sugar 1kg"),
        price: priceOf(options.price ?? 150),
        stock: stockOf(options.stock),
        createdAt: clock.now(),
      });
      must(await store.run((r) => r.products.add(product)));
      return product;
    },
  };
}

function must<T, E>(result: Result<T, E>): T {
  if (!result.ok) {
    throw new Error(`test data was refused: ${JSON.stringify(result.error)}`);
  }
  return result.value;
}

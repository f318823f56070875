import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RandomCallbackSecrets } from "../../src/adapters/crypto/random-callback-secrets.ts";
import { UuidV7IdGenerator } from "../../src/adapters/ids/uuid-v7-id-generator.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { configVerificationKind } from "../../src/application/payment-configs/config-verification-kind.ts";
import { noPaymentMetrics } from "../../src/application/ports/payment-metrics.ts";
import type { SecretBox } from "../../src/application/ports/secret-box.ts";
import { saleKind } from "../../src/application/sales/sale-kind.ts";
import { ReceiveStkCallback } from "../../src/application/stk/receive-stk-callback.ts";
import { StkPaymentKinds } from "../../src/application/stk/stk-payment-kinds.ts";
import { walletPurchaseKind } from "../../src/application/wallet/wallet-purchase-kind.ts";
import type { StkPayment } from "../../src/domain/stk-payment.ts";
import { seedConfig, seedOwner } from "../contracts/harness.ts";
import { aSale, aWalletPurchase, T0, unwrap } from "../support/builders.ts";
import { openTestDatabase } from "../support/test-database.ts";

/** Settling a callback asks Daraja nothing, so it never opens a secret. */
const secretBox: SecretBox = {
  seal: () => Promise.reject(new Error("no secret is sealed while settling")),
  open: () => Promise.reject(new Error("no secret is opened while settling")),
  isStale: () => false,
};

/**
 * What a trusted success callback costs the database, counted statement by statement on the connection: the
 * bench settles wallet purchases this way, and each statement is a round trip under its row lock.
 */
describe("the statements of a callback's settlement", () => {
  let database: Database;
  let drop: () => Promise<void>;
  let statements: string[] = [];
  const secrets = new RandomCallbackSecrets();

  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase());
    const connection = database.orm.em.getConnection();
    const execute = connection.execute.bind(connection);
    connection.execute = ((...args: Parameters<typeof execute>) => {
      const [query] = args;
      statements.push(typeof query === "string" ? query : "(query builder)");
      return execute(...args);
    }) as typeof connection.execute;
  });
  afterAll(() => drop());

  const settle = async (payment: StkPayment, token: string, amount: number) => {
    const uow = new MikroOrmUnitOfWork(database);
    const receive = new ReceiveStkCallback({
      uow,
      ids: new UuidV7IdGenerator(),
      clock: new ManualClock(T0),
      callbackSecrets: secrets,
      metrics: noPaymentMetrics,
      stkKinds: new StkPaymentKinds([
        walletPurchaseKind({
          wallet: { shortcode: "174379", accountReference: "PayMe", passkey: null, tokensPerKes: 1 },
        }),
        saleKind({ secretBox }),
        configVerificationKind({ secretBox }),
      ]),
    });
    statements = [];
    const received = await receive.execute({
      token,
      path: "/callback",
      body: {},
      callback: {
        merchantRequestId: "mr-1",
        checkoutRequestId: payment.checkoutRequestId ?? "",
        resultCode: "0",
        resultDesc: "The service request is processed successfully.",
        amount,
        mpesaReceipt: `R${payment.id.replaceAll("-", "").slice(-9).toUpperCase()}`,
        phone: "254712345678",
        transactionDate: "20260301120000",
      },
    });
    expect(received.disposition).toBe("applied");
    return statements.length;
  };

  it("settles a wallet purchase in four: locate and lock, update, credit, audit", async () => {
    const uow = new MikroOrmUnitOfWork(database);
    const { user } = await seedOwner(uow);
    const { token, hash } = secrets.issue();
    const purchase = aWalletPurchase(user.id, { amount: 100, callbackTokenHash: hash });
    unwrap(purchase.recordCheckout(`ws_CO_${purchase.id}`, "mr-1"));
    await uow.run((r) => r.walletPurchases.add(purchase));

    expect(await settle(purchase, token, 100)).toBe(4);
  });

  it("settles a sale through a verified config in five: locate and lock, update, verify, its event, audit", async () => {
    const uow = new MikroOrmUnitOfWork(database);
    const { business } = await seedOwner(uow);
    const config = await seedConfig(uow, business.id);
    await uow.run((r) => r.paymentConfigs.markVerified(config.id));
    const { token, hash } = secrets.issue();
    const sale = aSale(business.id, { paymentConfigId: config.id, amount: 100, callbackTokenHash: hash });
    unwrap(sale.recordCheckout(`ws_CO_${sale.id}`, "mr-1"));
    await uow.run((r) => r.sales.add(sale));

    expect(await settle(sale, token, 100)).toBe(5);
  });
});

import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RandomCallbackSecrets } from "../../src/adapters/crypto/random-callback-secrets.ts";
import { UuidV7IdGenerator } from "../../src/adapters/ids/uuid-v7-id-generator.ts";
import { InMemoryPaymentGateway } from "../../src/adapters/in-memory/in-memory-payment-gateway.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import { SequentialReferenceGenerator } from "../../src/adapters/in-memory/sequential-reference-generator.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { noPaymentMetrics } from "../../src/application/ports/payment-metrics.ts";
import type { SecretBox } from "../../src/application/ports/secret-box.ts";
import { InitiateSale } from "../../src/application/sales/initiate-sale.ts";
import type { PushLimits } from "../../src/application/shared/push-limits.ts";
import { InitiateWalletPurchase } from "../../src/application/wallet/initiate-wallet-purchase.ts";
import { ok } from "../../src/domain/result.ts";
import { seedConfig, seedOwner } from "../contracts/harness.ts";
import { aPhone, aProduct, aQuantity, asOwner, shillings, T0, unwrap } from "../support/builders.ts";
import { openTestDatabase } from "../support/test-database.ts";

const pushLimits: PushLimits = {
  perPhone: 1000,
  walletPerUserPerHour: 1000,
  verificationsPerUserPerHour: 1000,
  perBusinessPerMinute: 1000,
};

/** Opens every passkey as the same text: the push's request is not what is counted here. */
const secretBox: SecretBox = {
  seal: () => Promise.reject(new Error("no secret is sealed while initiating")),
  open: async () => "passkey",
  isStale: () => false,
};

/**
 * What an initiation whose push Daraja accepts costs the database, counted on the connection: its statements, and
 * the transactions they run in (each one a BEGIN and a COMMIT more). The bench initiates wallet purchases and
 * sales this way. Daraja's acceptance is recorded by one statement outside any transaction.
 */
describe("the statements of an accepted push's initiation", () => {
  let database: Database;
  let drop: () => Promise<void>;
  let statements: string[] = [];
  let transactions = 0;
  const ids = new UuidV7IdGenerator();
  const clock = new ManualClock(T0);
  const gateway = new InMemoryPaymentGateway();
  gateway.script.stkPush.otherwise(() =>
    ok({ checkoutRequestId: `ws_CO_${randomUUID()}`, merchantRequestId: "mr-1" }),
  );

  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase());
    const connection = database.orm.em.getConnection();
    const execute = connection.execute.bind(connection);
    connection.execute = ((...args: Parameters<typeof execute>) => {
      const [query] = args;
      statements.push(typeof query === "string" ? query : "(query builder)");
      return execute(...args);
    }) as typeof connection.execute;
    const begin = connection.begin.bind(connection);
    connection.begin = ((...args: Parameters<typeof begin>) => {
      transactions += 1;
      return begin(...args);
    }) as typeof connection.begin;
  });
  afterAll(() => drop());

  const counting = async <T>(work: () => Promise<T>) => {
    statements = [];
    transactions = 0;
    const result = await work();
    return { result, statements: statements.length, transactions };
  };

  it("initiates a wallet purchase in one transaction of three statements (locks, count with push log, purchase) and one statement after the push", async () => {
    const uow = new MikroOrmUnitOfWork(database);
    const { user } = await seedOwner(uow);
    const initiate = new InitiateWalletPurchase({
      uow,
      ids,
      clock,
      gateway,
      callbackSecrets: new RandomCallbackSecrets(),
      wallet: { shortcode: "174379", accountReference: "PayMe", passkey: "wallet-passkey", tokensPerKes: 1 },
      callbackUrl: "https://payme.example.com/api/mpesa/callback",
      metrics: noPaymentMetrics,
      pushLimits,
    });

    const counted = await counting(() =>
      initiate.execute({ userId: user.id, phone: aPhone("0712000001"), amount: shillings(100) }),
    );

    expect([counted.transactions, counted.statements]).toEqual([1, 4]);
    const purchase = unwrap(counted.result);
    const stored = await uow.read((r) => r.walletPurchases.findById(purchase.id));
    expect([stored?.status, stored?.pushOutcome, stored?.checkoutRequestId]).toEqual([
      "pending",
      "accepted",
      purchase.checkoutRequestId,
    ]);
    expect(
      await uow.read((r) => r.paymentLocators.find("checkout_request_id", purchase.checkoutRequestId ?? "")),
    ).toEqual({ kind: "wallet_purchase", paymentId: purchase.id });
  });

  it("initiates a sale of three products in one transaction of seven statements and one statement after the push", async () => {
    const uow = new MikroOrmUnitOfWork(database);
    const { user, business } = await seedOwner(uow);
    await seedConfig(uow, business.id);
    const products = [40, 50, 60].map((price) => aProduct(business.id, { stock: 10, price }));
    await uow.run(async (r) => {
      for (const product of products) {
        await r.products.add(product);
      }
    });
    const initiate = new InitiateSale({
      uow,
      ids,
      clock,
      gateway,
      secretBox,
      callbackSecrets: new RandomCallbackSecrets(),
      references: new SequentialReferenceGenerator(),
      callbackUrl: "https://payme.example.com/api/mpesa/callback",
      metrics: noPaymentMetrics,
      stockHoldSeconds: 300,
      allowUnverifiedPaymentConfig: true,
      pushLimits,
    });

    const counted = await counting(() =>
      initiate.execute({
        access: asOwner(user.id, business.id, "sales:write"),
        businessId: business.id,
        phone: aPhone("0712000002"),
        items: products.map((product) => ({ productId: product.id, quantity: aQuantity(1) })),
      }),
    );

    // The transaction (seven): the business, its config, the products locked, the push limits' locks, their count
    // with the push log's row, the three products' reservations (one statement) and the sale; after the push, the
    // acceptance alone.
    expect([counted.transactions, counted.statements]).toEqual([1, 8]);
    const sale = unwrap(counted.result);
    const stored = await uow.read((r) => r.sales.findById(sale.id));
    expect([stored?.status, stored?.pushOutcome, stored?.stockState]).toEqual([
      "pending",
      "accepted",
      "reserved",
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RandomCallbackSecrets } from "../../src/adapters/crypto/random-callback-secrets.ts";
import { UuidV7IdGenerator } from "../../src/adapters/ids/uuid-v7-id-generator.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { GroupCommitSettlements } from "../../src/adapters/persistence/repositories/group-commit-settlements.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import type { SettlementUnitOfWork } from "../../src/application/ports/unit-of-work.ts";
import type { StkPayment } from "../../src/domain/stk-payment.ts";
import { seedConfig, seedOwner } from "../contracts/harness.ts";
import { aSale, aWalletPurchase, T0, unwrap } from "../support/builders.ts";
import { stkReceiver } from "../support/stk-settlement.ts";
import { openTestDatabase } from "../support/test-database.ts";

/** Settling a callback asks Daraja nothing, so it never opens a secret. */
/**
 * What a trusted success callback costs the database, counted statement by statement on the connection: the
 * bench settles wallet purchases this way, and each statement is a round trip under its row lock. A group commit
 * of many callbacks costs the same statements as one: each is a multi-row statement.
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

  const receiver = (settlements?: SettlementUnitOfWork) =>
    stkReceiver({
      uow: new MikroOrmUnitOfWork(database),
      ...(settlements === undefined ? {} : { settlements }),
      ids: new UuidV7IdGenerator(),
      clock: new ManualClock(T0),
      callbackSecrets: secrets,
    });

  const callbackOf = (payment: StkPayment, token: string, amount: number) => ({
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

  const settle = async (payment: StkPayment, token: string, amount: number) => {
    const receive = receiver();
    statements = [];
    const received = await receive.execute(callbackOf(payment, token, amount));
    expect(received.disposition).toBe("applied");
    return statements.length;
  };

  /** Settles the callbacks given in one turn of the event loop: one group commit, as under load. */
  const settleTogether = async (paid: readonly { payment: StkPayment; token: string }[]) => {
    const receive = receiver(new GroupCommitSettlements(database, { max: 64, windowMs: 1, inFlight: 1 }));
    statements = [];
    const received = await Promise.all(
      paid.map(({ payment, token }) => receive.execute(callbackOf(payment, token, 100))),
    );
    expect(received.map((r) => r.disposition)).toEqual(paid.map(() => "applied"));
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

  it("settles a group of wallet purchases in the same four, one multi-row statement each", async () => {
    const uow = new MikroOrmUnitOfWork(database);
    const { user } = await seedOwner(uow);
    const paid = [];
    for (let i = 0; i < 12; i++) {
      const { token, hash } = secrets.issue();
      const purchase = aWalletPurchase(user.id, { amount: 100, callbackTokenHash: hash });
      unwrap(purchase.recordCheckout(`ws_CO_${purchase.id}`, "mr-1"));
      await uow.run((r) => r.walletPurchases.add(purchase));
      paid.push({ payment: purchase, token });
    }

    expect(await settleTogether(paid)).toBe(4);
    expect(await uow.read((r) => r.walletLedger.balanceOf(user.id))).toBe(1200);
  });

  it("settles a group of sales through one verified config in the same five", async () => {
    const uow = new MikroOrmUnitOfWork(database);
    const { business } = await seedOwner(uow);
    const config = await seedConfig(uow, business.id);
    await uow.run((r) => r.paymentConfigs.markVerified(config.id));
    const paid = [];
    for (let i = 0; i < 12; i++) {
      const { token, hash } = secrets.issue();
      const sale = aSale(business.id, { paymentConfigId: config.id, amount: 100, callbackTokenHash: hash });
      unwrap(sale.recordCheckout(`ws_CO_${sale.id}`, "mr-1"));
      await uow.run((r) => r.sales.add(sale));
      paid.push({ payment: sale, token });
    }

    expect(await settleTogether(paid)).toBe(5);
    const events = await uow.read((r) => r.outbox.listForBusiness(business.id));
    expect(events.filter((e) => e.type === "sale.paid")).toHaveLength(12);
  });
});

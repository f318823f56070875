import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RandomCallbackSecrets } from "../../src/adapters/crypto/random-callback-secrets.ts";
import { UuidV7IdGenerator } from "../../src/adapters/ids/uuid-v7-id-generator.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { GroupCommitSettlements } from "../../src/adapters/persistence/repositories/group-commit-settlements.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { UniqueViolation } from "../../src/application/ports/repository-errors.ts";
import type { StkCallback } from "../../src/application/shared/daraja-notifications.ts";
import type { Product } from "../../src/domain/product.ts";
import { reserveStock } from "../../src/domain/sale-stock.ts";
import type { StkPayment } from "../../src/domain/stk-payment.ts";
import { seedConfig, seedOwner } from "../contracts/harness.ts";
import { aProduct, aSale, aWalletPurchase, T0, unwrap } from "../support/builders.ts";
import { stkReceiver } from "../support/stk-settlement.ts";
import { openTestDatabase } from "../support/test-database.ts";

/**
 * Group commit on PostgreSQL: trusted callbacks given at the same time settle in one transaction, with the same
 * outcome as one after the other (duplicates of a payment in one group included), and one that cannot be settled
 * does not take the others down with it.
 */
describe("callbacks settled in groups", () => {
  let database: Database;
  let drop: () => Promise<void>;
  let uow: MikroOrmUnitOfWork;
  let groupLocks = 0;
  /** Payments located and locked one by one: a settlement run alone, not in a group. */
  let aloneLocks = 0;
  const secrets = new RandomCallbackSecrets();
  const ids = new UuidV7IdGenerator();

  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase());
    uow = new MikroOrmUnitOfWork(database);
    const connection = database.orm.em.getConnection();
    const execute = connection.execute.bind(connection);
    connection.execute = ((...args: Parameters<typeof execute>) => {
      const [query] = args;
      if (typeof query === "string" && query.includes(`from (select * from "payment_locators"`)) {
        groupLocks++;
      }
      if (
        typeof query === "string" &&
        query.includes(`from "payment_locators" as "locator" where`) &&
        query.includes(" for update")
      ) {
        aloneLocks++;
      }
      return execute(...args);
    }) as typeof connection.execute;
  });
  afterAll(() => drop());

  /** What the groups told the metrics: each committed group's size, each retry's reason. */
  let observed: { sizes: number[]; retries: string[] } = { sizes: [], retries: [] };
  const groups = (options?: { max?: number; inFlight?: number }) => {
    observed = { sizes: [], retries: [] };
    return new GroupCommitSettlements(database, {
      max: options?.max ?? 64,
      windowMs: 1,
      inFlight: options?.inFlight ?? 2,
      observer: {
        settlementGroup: (size) => observed.sizes.push(size),
        settlementGroupRetried: (reason) => observed.retries.push(reason),
      },
    });
  };

  const receiver = (settlements: GroupCommitSettlements) =>
    stkReceiver({ uow, settlements, ids, clock: new ManualClock(T0), callbackSecrets: secrets });

  type Pushed = { readonly payment: StkPayment; readonly token: string };

  const callbackOf = ({ payment, token }: Pushed, outcome: "paid" | "cancelled") => {
    const paid = outcome === "paid";
    const callback: StkCallback = {
      merchantRequestId: "mr-1",
      checkoutRequestId: payment.checkoutRequestId ?? "",
      resultCode: paid ? "0" : "1032",
      resultDesc: paid ? "The service request is processed successfully." : "Request cancelled by user",
      amount: paid ? payment.amount.value : null,
      mpesaReceipt: paid ? `R${payment.id.replaceAll("-", "").slice(-9).toUpperCase()}` : null,
      phone: paid ? "254712345678" : null,
      transactionDate: paid ? "20260301120000" : null,
    };
    return { token, path: "/callback", body: { outcome }, callback };
  };

  const pushedPurchase = async (userId: string): Promise<Pushed> => {
    const { token, hash } = secrets.issue();
    const purchase = aWalletPurchase(userId, { amount: 100, callbackTokenHash: hash });
    unwrap(purchase.recordCheckout(`ws_CO_${purchase.id}`, "mr-1"));
    await uow.run((r) => r.walletPurchases.add(purchase));
    return { payment: purchase, token };
  };

  const pushedSale = async (businessId: string, configId: string, product: Product): Promise<Pushed> => {
    const { token, hash } = secrets.issue();
    const sale = aSale(businessId, {
      paymentConfigId: configId,
      lines: [{ product, quantity: 2 }],
      callbackTokenHash: hash,
    });
    unwrap(sale.recordCheckout(`ws_CO_${sale.id}`, "mr-1"));
    await uow.run(async (r) => {
      const [locked] = await r.products.lockInBusiness([product.id], businessId);
      if (locked === undefined) {
        throw new Error("the product is not there");
      }
      unwrap(reserveStock(sale, new Map([[locked.id, locked]])));
      await r.products.update(locked);
      await r.sales.add(sale);
    });
    return { payment: sale, token };
  };

  it("settles a group of mixed callbacks, duplicates of one payment among them, as one after the other would", async () => {
    const { user, business } = await seedOwner(uow);
    const config = await seedConfig(uow, business.id);
    const product = aProduct(business.id, { stock: 10 });
    await uow.run((r) => r.products.add(product));
    const [w1, w2, w3, w4] = [
      await pushedPurchase(user.id),
      await pushedPurchase(user.id),
      await pushedPurchase(user.id),
      await pushedPurchase(user.id),
    ] as [Pushed, Pushed, Pushed, Pushed];
    const [s1, s2, s3] = [
      await pushedSale(business.id, config.id, product),
      await pushedSale(business.id, config.id, product),
      await pushedSale(business.id, config.id, product),
    ] as [Pushed, Pushed, Pushed];
    // A payment PayMe never stored: no token nor CheckoutRequestID of it is known.
    const unknown = { payment: aWalletPurchase(user.id), token: "no-payment-has-this-token" };
    const receive = receiver(groups());
    const locksBefore = groupLocks;
    const aloneBefore = aloneLocks;

    const given = [
      callbackOf(w1, "paid"),
      callbackOf(s1, "paid"),
      callbackOf(w1, "paid"),
      callbackOf(w2, "paid"),
      callbackOf(w3, "cancelled"),
      callbackOf(w3, "paid"),
      callbackOf(s2, "paid"),
      callbackOf(s1, "paid"),
      callbackOf(s3, "cancelled"),
      callbackOf(w4, "paid"),
      callbackOf(unknown, "paid"),
      callbackOf(w4, "paid"),
    ];
    const received = await Promise.all(given.map((callback) => receive.execute(callback)));

    // One group: its payments were locked together, once, and none was settled again alone.
    expect(groupLocks - locksBefore).toBe(1);
    expect(aloneLocks - aloneBefore).toBe(0);
    expect(observed).toEqual({ sizes: [12], retries: [] });
    expect(received.map((r) => r.disposition)).toEqual([
      "applied",
      "applied",
      "no_change",
      "applied",
      "applied",
      // Paid after it was cancelled: flagged for a person, as when it comes in a transaction of its own.
      "flagged",
      "applied",
      "no_change",
      "applied",
      "applied",
      "unknown_payment",
      "no_change",
    ]);
    const state = await uow.read(async (r) => ({
      balance: await r.walletLedger.balanceOf(user.id),
      statuses: await Promise.all(
        [w1, w2, w3, w4].map(async (p) => (await r.walletPurchases.findById(p.payment.id))?.status),
      ),
      sales: await Promise.all([s1, s2, s3].map(async (p) => (await r.sales.findById(p.payment.id))?.status)),
      product: await r.products.findInBusiness(product.id, business.id),
      events: (await r.outbox.listForBusiness(business.id)).map((e) => e.type).sort(),
      audits: await Promise.all(
        [w1, w3, w4].map(
          async (p) => (await r.callbackAudit.listByPayment(`wallet_purchase:${p.payment.id}`)).length,
        ),
      ),
    }));
    // Each paid purchase credited once, whatever the duplicates.
    expect(state.balance).toBe(300);
    expect(state.statuses).toEqual(["paid", "paid", "cancelled", "paid"]);
    expect(state.sales).toEqual(["paid", "paid", "cancelled"]);
    // Two paid sales of 2 sold 4; the cancelled one's 2 are sellable again.
    expect(state.product).toMatchObject({ stock: 6, reserved: 0 });
    expect(state.events).toEqual(["payment_config.verified", "sale.cancelled", "sale.paid", "sale.paid"]);
    // Every callback is on record, the duplicates too.
    expect(state.audits).toEqual([2, 2, 2]);
  });

  it("settles a callback that comes alone in a transaction of its own, as without group commit", async () => {
    const { user } = await seedOwner(uow);
    const pushed = await pushedPurchase(user.id);
    const receive = receiver(groups());
    const [groupsBefore, aloneBefore] = [groupLocks, aloneLocks];

    expect((await receive.execute(callbackOf(pushed, "paid"))).disposition).toBe("applied");

    expect([groupLocks - groupsBefore, aloneLocks - aloneBefore]).toEqual([0, 1]);
    expect(await uow.read((r) => r.walletLedger.balanceOf(user.id))).toBe(100);
  });

  it("settles the others when one work throws, and gives its caller the error it throws alone", async () => {
    const { user } = await seedOwner(uow);
    const pushed = [
      await pushedPurchase(user.id),
      await pushedPurchase(user.id),
      await pushedPurchase(user.id),
    ];
    const settlements = groups();
    const receive = receiver(settlements);
    let badRuns = 0;

    const [first, bad, ...rest] = await Promise.allSettled([
      receive.execute(callbackOf(pushed[0] as Pushed, "paid")),
      settlements.settle({ channel: "callback_token", key: "whatever" }, async () => {
        badRuns++;
        throw new Error("this settlement cannot be applied");
      }),
      receive.execute(callbackOf(pushed[1] as Pushed, "paid")),
      receive.execute(callbackOf(pushed[2] as Pushed, "paid")),
    ]);

    expect(bad).toMatchObject({
      status: "rejected",
      reason: { message: "this settlement cannot be applied" },
    });
    // Once in the group, once alone.
    expect(badRuns).toBe(2);
    expect(observed.retries).toEqual(["work_failed"]);
    // The good ones committed as a group of three; the bad one committed nothing.
    expect(observed.sizes).toEqual([3]);
    expect([first, ...rest].map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    expect(await uow.read((r) => r.walletLedger.balanceOf(user.id))).toBe(300);
  });

  it("settles the others alone when the group's writes fail, and the bad one fails alone", async () => {
    const { user } = await seedOwner(uow);
    const pushed = [await pushedPurchase(user.id), await pushedPurchase(user.id)];
    const settlements = groups();
    const receive = receiver(settlements);
    // A record whose id is taken: the group's multi-row insert fails, and the group with it.
    const auditId = ids.next();
    await uow.run((r) =>
      r.callbackAudit.record({
        id: auditId,
        receivedAt: T0,
        kind: "stk_callback",
        path: "/callback",
        trusted: false,
        checkoutRequestId: null,
        paymentRef: null,
        disposition: "unknown_payment",
        body: {},
      }),
    );

    const [first, bad, second] = await Promise.allSettled([
      receive.execute(callbackOf(pushed[0] as Pushed, "paid")),
      settlements.settle({ channel: "callback_token", key: "whatever" }, (r) =>
        r.callbackAudit.record({
          id: auditId,
          receivedAt: T0,
          kind: "stk_callback",
          path: "/callback",
          trusted: false,
          checkoutRequestId: null,
          paymentRef: null,
          disposition: "unknown_payment",
          body: {},
        }),
      ),
      receive.execute(callbackOf(pushed[1] as Pushed, "paid")),
    ]);

    expect(bad.status).toBe("rejected");
    expect((bad as PromiseRejectedResult).reason).toBeInstanceOf(UniqueViolation);
    expect(observed).toEqual({ sizes: [1, 1], retries: ["write_failed"] });
    expect([first.status, second.status]).toEqual(["fulfilled", "fulfilled"]);
    expect(await uow.read((r) => r.walletLedger.balanceOf(user.id))).toBe(200);
  });

  it("credits each payment once when its callbacks race in many groups at once", async () => {
    const { user } = await seedOwner(uow);
    const pushed: Pushed[] = [];
    for (let i = 0; i < 24; i++) {
      pushed.push(await pushedPurchase(user.id));
    }
    const receive = receiver(groups({ max: 8, inFlight: 3 }));
    const locksBefore = groupLocks;

    // Three deliveries of each, in waves a turn of the event loop apart: groups overlap, and a payment's
    // duplicates land in the same group and in different ones.
    const waves = [pushed, [...pushed].reverse(), pushed.filter((_, i) => i % 2 === 0).concat(pushed)];
    const received = await Promise.all(
      waves.map(async (wave, index) => {
        await new Promise((resolve) => setTimeout(resolve, index));
        return Promise.all(wave.map((p) => receive.execute(callbackOf(p, "paid"))));
      }),
    );

    const dispositions = received.flat().map((r) => r.disposition);
    expect(dispositions.filter((d) => d === "applied")).toHaveLength(24);
    expect(dispositions.filter((d) => d !== "applied").every((d) => d === "no_change")).toBe(true);
    expect(groupLocks - locksBefore).toBeGreaterThan(1);
    expect(await uow.read((r) => r.walletLedger.balanceOf(user.id))).toBe(2400);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RandomCallbackSecrets } from "../../src/adapters/crypto/random-callback-secrets.ts";
import { UuidV7IdGenerator } from "../../src/adapters/ids/uuid-v7-id-generator.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { GroupCommitSettlements } from "../../src/adapters/persistence/repositories/group-commit-settlements.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { ReleaseLapsedHolds } from "../../src/application/sales/release-lapsed-holds.ts";
import type { Product } from "../../src/domain/product.ts";
import { reserveStock } from "../../src/domain/sale-stock.ts";
import type { StkPayment } from "../../src/domain/stk-payment.ts";
import { seedConfig, seedOwner } from "../contracts/harness.ts";
import { aProduct, aSale, T0, unwrap } from "../support/builders.ts";
import { deferred } from "../support/deferred.ts";
import { stkReceiver } from "../support/stk-settlement.ts";
import { explainSkipUnlessPostgres, onPostgres, openTestDatabase } from "../support/test-database.ts";

explainSkipUnlessPostgres("two transactions locking the same products at once");

/**
 * Every path that locks several products locks them in product id order, and a group commit takes its sales'
 * products up front, right after its payments: two groups (two instances, say) whose sales share products in
 * opposite orders never wait on each other in a cycle, so PostgreSQL never has to break a deadlock and no group
 * is rolled back to be settled again.
 */
describe.skipIf(!onPostgres())("the order in which settlements lock products", () => {
  let database: Database;
  let drop: () => Promise<void>;
  let uow: MikroOrmUnitOfWork;
  const secrets = new RandomCallbackSecrets();
  const ids = new UuidV7IdGenerator();

  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase());
    uow = new MikroOrmUnitOfWork(database);
  });
  afterAll(() => drop());

  type Observed = { sizes: number[]; retries: string[] };
  /** A group commit of its own, as another instance of PayMe would have, telling what its groups did. */
  const instance = () => {
    const observed: Observed = { sizes: [], retries: [] };
    const settlements = new GroupCommitSettlements(database, {
      max: 64,
      windowMs: 1,
      inFlight: 1,
      observer: {
        settlementGroup: (size) => observed.sizes.push(size),
        settlementGroupRetried: (reason) => observed.retries.push(reason),
      },
    });
    const receive = stkReceiver({
      uow,
      settlements,
      ids,
      clock: new ManualClock(T0),
      callbackSecrets: secrets,
    });
    return { observed, settlements, receive };
  };

  type Pushed = { readonly payment: StkPayment; readonly token: string };

  const paidCallback = ({ payment, token }: Pushed) => ({
    token,
    path: "/callback",
    body: {},
    callback: {
      merchantRequestId: "mr-1",
      checkoutRequestId: payment.checkoutRequestId ?? "",
      resultCode: "0",
      resultDesc: "The service request is processed successfully.",
      amount: payment.amount.value,
      mpesaReceipt: `R${payment.id.replaceAll("-", "").slice(-9).toUpperCase()}`,
      phone: "254712345678",
      transactionDate: "20260301120000",
    },
  });

  /** A pending sale of one unit of `product`, its stock reserved, as initiation leaves it. */
  const pushedSale = async (
    businessId: string,
    configId: string,
    product: Product,
    holdExpiresAt?: Date,
  ): Promise<Pushed> => {
    const { token, hash } = secrets.issue();
    const sale = aSale(businessId, {
      paymentConfigId: configId,
      lines: [{ product, quantity: 1 }],
      callbackTokenHash: hash,
      ...(holdExpiresAt === undefined ? {} : { holdExpiresAt }),
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

  /**
   * Resolves once `stop()` says so, or once some transaction of this database waits for a lock: a group that
   * reaches it lets the other run its first settlement before it runs its second, unless the other is blocked.
   */
  const untilStoppedOrSomeoneWaits = async (stop: () => boolean): Promise<void> => {
    const em = database.orm.em.fork();
    while (!stop()) {
      const [row] = await em.execute<{ waiting: string }[]>(
        "select count(*) as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
      );
      if (Number(row?.waiting) > 0) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it("settles two groups whose sales share products in opposite orders, neither rolled back nor retried", async () => {
    const { business } = await seedOwner(uow);
    const config = await seedConfig(uow, business.id);
    // Verified already: the groups then lock nothing but their payments and their products.
    await uow.run((r) => r.paymentConfigs.markVerified(config.id));
    const [first, second] = [aProduct(business.id, { stock: 10 }), aProduct(business.id, { stock: 10 })];
    await uow.run(async (r) => {
      await r.products.add(first);
      await r.products.add(second);
    });
    // Group one settles a sale of the first product, then one of the second; group two the other way round.
    const one = [
      await pushedSale(business.id, config.id, first),
      await pushedSale(business.id, config.id, second),
    ] as const;
    const two = [
      await pushedSale(business.id, config.id, second),
      await pushedSale(business.id, config.id, first),
    ] as const;
    const [a, b] = [instance(), instance()];

    // Between its two sales, each group waits for the other to have settled its first one too (or to be seen
    // waiting for a lock): without an up-front lock in one order, each would then hold the product the other
    // wants next.
    let arrived = 0;
    const both = deferred();
    const midway = (instanceOf: typeof a, key: string) =>
      instanceOf.settlements.settle({ channel: "callback_token", key }, async () => {
        arrived += 1;
        if (arrived === 2) {
          both.resolve();
        }
        let done = false;
        await Promise.race([both.promise, untilStoppedOrSomeoneWaits(() => done)]);
        done = true;
      });

    const settled = await Promise.all([
      a.receive.execute(paidCallback(one[0])),
      midway(a, "midway-one"),
      a.receive.execute(paidCallback(one[1])),
      b.receive.execute(paidCallback(two[0])),
      midway(b, "midway-two"),
      b.receive.execute(paidCallback(two[1])),
    ]);

    // Each instance committed its three settlements as one group, the first time: none was rolled back.
    expect({ a: a.observed, b: b.observed }).toEqual({
      a: { sizes: [3], retries: [] },
      b: { sizes: [3], retries: [] },
    });
    expect([settled[0], settled[2], settled[3], settled[5]].map((r) => r?.disposition)).toEqual([
      "applied",
      "applied",
      "applied",
      "applied",
    ]);
    const products = await uow.read(async (r) => [
      await r.products.findInBusiness(first.id, business.id),
      await r.products.findInBusiness(second.id, business.id),
    ]);
    // Two of each sold, nothing left reserved.
    expect(products.map((p) => ({ stock: p?.stock, reserved: p?.reserved }))).toEqual([
      { stock: 8, reserved: 0 },
      { stock: 8, reserved: 0 },
    ]);
  });

  it("gives back lapsed holds of several sales while a group settles sales of the same products", async () => {
    const { business } = await seedOwner(uow);
    const config = await seedConfig(uow, business.id);
    await uow.run((r) => r.paymentConfigs.markVerified(config.id));
    const [first, second] = [aProduct(business.id, { stock: 10 }), aProduct(business.id, { stock: 10 })];
    await uow.run(async (r) => {
      await r.products.add(first);
      await r.products.add(second);
    });
    // Lapsed: the second product's sale first (the older hold), then the first's.
    const lapsed = [
      await pushedSale(business.id, config.id, second, new Date(T0.getTime() - 2_000)),
      await pushedSale(business.id, config.id, first, new Date(T0.getTime() - 1_000)),
    ];
    const paid = [
      await pushedSale(business.id, config.id, first),
      await pushedSale(business.id, config.id, second),
    ];
    const a = instance();
    const release = new ReleaseLapsedHolds({ uow, clock: new ManualClock(T0), ids });

    const [released] = await Promise.all([
      release.execute({ limit: 10 }),
      a.receive.execute(paidCallback(paid[0] as Pushed)),
      a.receive.execute(paidCallback(paid[1] as Pushed)),
    ]);

    expect(released).toBe(2);
    expect(a.observed).toEqual({ sizes: [2], retries: [] });
    const state = await uow.read(async (r) => ({
      products: [
        await r.products.findInBusiness(first.id, business.id),
        await r.products.findInBusiness(second.id, business.id),
      ].map((p) => ({ stock: p?.stock, reserved: p?.reserved })),
      lapsed: await Promise.all(lapsed.map(async (p) => (await r.sales.findById(p.payment.id))?.stockState)),
    }));
    expect(state.lapsed).toEqual(["released", "released"]);
    // One of each sold; the lapsed ones' units are sellable again.
    expect(state.products).toEqual([
      { stock: 9, reserved: 0 },
      { stock: 9, reserved: 0 },
    ]);
  });
});

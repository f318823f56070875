import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { UniqueViolation } from "../../src/application/ports/repository-errors.ts";
import { WalletLedgerEntry } from "../../src/domain/wallet-ledger-entry.ts";
import { seedOwner } from "../contracts/harness.ts";
import { anId, aPaymentConfig, aProduct, aWalletPurchase, T0, unwrap } from "../support/builders.ts";
import { deferred } from "../support/deferred.ts";
import { waitForLockWaiter } from "../support/lock-waiter.ts";
import { explainSkipUnlessPostgres, onPostgres, openTestDatabase } from "../support/test-database.ts";

explainSkipUnlessPostgres("row locks, SKIP LOCKED and concurrent unique-constraint races");

describe.skipIf(!onPostgres())("concurrency on PostgreSQL", () => {
  let database: Database;
  let drop: () => Promise<void>;
  let uow: MikroOrmUnitOfWork;

  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase());
    uow = new MikroOrmUnitOfWork(database);
  });
  afterAll(() => drop());

  it("a locked read waits for the transaction holding the row, then sees its commit", async () => {
    const { user } = await seedOwner(uow);
    const purchase = aWalletPurchase(user.id);
    await uow.run((r) => r.walletPurchases.add(purchase));

    const firstHasLock = deferred();
    const releaseFirst = deferred();
    const first = uow.run(async (r) => {
      const locked = await r.walletPurchases.findById(purchase.id, { lock: true });
      if (locked === null) {
        throw new Error("purchase missing");
      }
      firstHasLock.resolve();
      await releaseFirst.promise;
      unwrap(locked.markPaid({ receipt: "LOCK000001", amount: 100, phone: null, at: T0 }));
      await r.walletPurchases.update(locked);
    });
    await firstHasLock.promise;
    const second = uow.run(
      async (r) => (await r.walletPurchases.findById(purchase.id, { lock: true }))?.status,
    );
    // The second transaction must be seen waiting on the row lock before the first commits.
    try {
      await waitForLockWaiter(database);
    } finally {
      releaseFirst.resolve();
    }
    await first;
    // Without the row lock, the second read would have seen the row as it was before the first committed.
    expect(await second).toBe("paid");
  });

  it("SKIP LOCKED: a second claimer takes other open payments and does not wait for the first", async () => {
    const { user } = await seedOwner(uow);
    const created = new Date("2031-01-01T00:00:00Z");
    const purchases = Array.from({ length: 6 }, (_, i) =>
      aWalletPurchase(user.id, { createdAt: new Date(created.getTime() + i * 1000) }),
    );
    for (const purchase of purchases) {
      unwrap(purchase.recordCheckout(`ws_CO_skip_${purchase.id}`, null));
    }
    await uow.run(async (r) => {
      for (const purchase of purchases) {
        await r.walletPurchases.add(purchase);
      }
    });
    const ours = new Set(purchases.map((p) => p.id));
    const cutoff = new Date(created.getTime() + 60_000);

    const firstClaimed = deferred<string[]>();
    const releaseFirst = deferred();
    const first = uow.run(async (r) => {
      const claimed = await r.walletPurchases.claimOpen({ now: cutoff, createdBefore: cutoff, limit: 3 });
      firstClaimed.resolve(claimed.map((p) => p.id));
      await releaseFirst.promise;
    });
    const held = (await firstClaimed.promise).filter((id) => ours.has(id));
    let second: string[];
    try {
      // The first transaction still holds its rows: the second must not block on them.
      second = (
        await uow.run((r) => r.walletPurchases.claimOpen({ now: cutoff, createdBefore: cutoff, limit: 100 }))
      ).map((p) => p.id);
    } finally {
      releaseFirst.resolve();
    }
    await first;

    const secondOurs = second.filter((id) => ours.has(id));
    expect(held.length).toBeGreaterThan(0);
    expect(secondOurs.filter((id) => held.includes(id))).toEqual([]);
    expect(new Set([...held, ...secondOurs]).size).toBe(held.length + secondOurs.length);
    const afterRelease = (
      await uow.run((r) => r.walletPurchases.claimOpen({ now: cutoff, createdBefore: cutoff, limit: 100 }))
    ).map((p) => p.id);
    expect(afterRelease.filter((id) => ours.has(id)).sort()).toEqual([...ours].sort());
  });

  it("locking the same products in two sales serialises them: the stock is reserved once", async () => {
    const { business } = await seedOwner(uow);
    const product = aProduct(business.id, { stock: 1 });
    await uow.run((r) => r.products.add(product));
    const reserve = () =>
      uow.run(async (r) => {
        const [locked] = await r.products.lockInBusiness([product.id], business.id);
        if (locked === undefined) {
          throw new Error("product missing");
        }
        const reserved = locked.reserve(1);
        if (reserved.ok) {
          await r.products.update(locked);
        }
        return reserved.ok;
      });
    const outcomes = await Promise.all(Array.from({ length: 8 }, reserve));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const saved = await uow.run((r) => r.products.findInBusiness(product.id, business.id));
    expect([saved?.stock, saved?.reserved]).toEqual([0, 1]);
  });

  it("two concurrent credits for one purchase: the unique source lets exactly one in", async () => {
    const { user } = await seedOwner(uow);
    const purchase = aWalletPurchase(user.id, { amount: 70 });
    unwrap(purchase.markPaid({ receipt: null, amount: 70, phone: null, at: T0 }));
    const credit = () =>
      uow
        .run((r) => r.walletLedger.append(unwrap(WalletLedgerEntry.creditFor(purchase, anId(), T0))))
        .then(
          () => "credited",
          (error: unknown) => (error instanceof UniqueViolation ? "refused" : Promise.reject(error)),
        );
    const outcomes = await Promise.all(Array.from({ length: 10 }, credit));
    expect(outcomes.filter((o) => o === "credited")).toHaveLength(1);
    expect(await uow.run((r) => r.walletLedger.balanceOf(user.id))).toBe(70);
  });

  it("two concurrent activations for one business: the partial unique index keeps one active", async () => {
    const { business } = await seedOwner(uow);
    const activate = () =>
      uow
        .run((r) => r.paymentConfigs.add(aPaymentConfig(business.id)))
        .then(
          () => "active",
          (error: unknown) => (error instanceof UniqueViolation ? "refused" : Promise.reject(error)),
        );
    const outcomes = await Promise.all(Array.from({ length: 5 }, activate));
    expect(outcomes.filter((o) => o === "active")).toHaveLength(1);
  });
});

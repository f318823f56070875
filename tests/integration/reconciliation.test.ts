import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  DarajaSimulator,
  ListeningSimulator,
} from "../../src/adapters/daraja-simulator/daraja-simulator.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import { Database } from "../../src/adapters/persistence/database.ts";
import { ReleaseLapsedHolds } from "../../src/application/sales/release-lapsed-holds.ts";
import { CheckPendingPayments } from "../../src/application/stk/check-pending-payments.ts";
import { ExpireStalePayments } from "../../src/application/stk/expire-stale-payments.ts";
import { PORTS, resolve } from "../../src/main/tokens.ts";
import {
  eventually,
  type RunningPayMe,
  startPayMe,
  startSimulator,
  verifiedConfig,
} from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi } from "../support/test-app.ts";
import { explainSkipUnlessPostgres, onPostgres, openTestDatabase } from "../support/test-database.ts";

type Json = Record<string, unknown>;
const LOST_CALLBACK = "254700000005";

describe("settling payments whose callback never came", () => {
  let database: Database;
  let drop: () => Promise<void>;
  let simulator: DarajaSimulator;
  let listening: ListeningSimulator;
  let payme: RunningPayMe;

  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase());
    ({ simulator, listening } = await startSimulator({ delayMs: 20 }));
    payme = await startPayMe({
      database,
      simulatorUrl: listening.url,
      reconciler: true,
      env: { RECONCILE_AFTER_SECONDS: "1", RECONCILE_INTERVAL_SECONDS: "0.2" },
    });
  });
  afterAll(async () => {
    await payme.stop();
    await listening.close();
    await drop();
  });

  it("a wallet purchase and a sale on the lost-callback phone each end paid, by query, with no callback", async () => {
    const owner = await signUpThroughApi(payme.app);
    await verifiedConfig(payme, owner.token, {
      paymentMethod: "till",
      shortcode: "5123001",
      passkey: "pk",
      accountName: "Lost",
    });
    const purchase = (await (
      await payme.app.request(
        "/api/wallet-payment/initiate",
        jsonRequest("POST", { phone: LOST_CALLBACK, amount: 25 }, owner.token),
      )
    ).json()) as { purchase: { id: string; checkoutRequestId: string } };
    const sale = (await (
      await payme.app.request(
        "/api/sales/payment",
        jsonRequest("POST", { businessId: owner.businessId, phone: "0700000005", amount: 30 }, owner.token),
      )
    ).json()) as { sale: { id: string; checkoutRequestId: string } };

    const paidPurchase = await eventually(async () => {
      const { purchase: current } = (await (
        await payme.app.request(`/api/wallet-payment/${purchase.purchase.id}`, bearer(owner.token))
      ).json()) as {
        purchase: Json;
      };
      return current.status === "paid" ? current : undefined;
    });
    const paidSale = await eventually(async () => {
      const { sale: current } = (await (
        await payme.app.request(`/api/sales/${sale.sale.id}`, bearer(owner.token))
      ).json()) as { sale: Json };
      return current.status === "paid" ? current : undefined;
    });
    expect(paidPurchase.mpesaReceipt).toBeUndefined();
    expect(paidSale.mpesaReceipt).toBeUndefined();
    const delivered = simulator.callbacks().map((c) => c.url);
    const noCallback = [purchase.purchase.checkoutRequestId, sale.sale.checkoutRequestId].every(
      (id) => !delivered.includes(simulator.checkout(id)?.callbackUrl ?? "?"),
    );
    expect(noCallback).toBe(true);
    expect(
      ((await (await payme.app.request("/api/wallet", bearer(owner.token))).json()) as Json).balance,
    ).toBe(25);

    // The callback comes after all: it only fills in the receipt, and credits nothing more.
    const url = simulator.checkout(purchase.purchase.checkoutRequestId)?.callbackUrl ?? "";
    const late = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(
        successCallback(purchase.purchase.checkoutRequestId, 25, LOST_CALLBACK, "LATE000001"),
      ),
    });
    expect(late.status).toBe(200);
    const { purchase: filled } = (await (
      await payme.app.request(`/api/wallet-payment/${purchase.purchase.id}`, bearer(owner.token))
    ).json()) as {
      purchase: Json;
    };
    expect(filled).toMatchObject({ status: "paid", mpesaReceipt: "LATE000001" });
    const wallet = (await (await payme.app.request("/api/wallet", bearer(owner.token))).json()) as {
      balance: number;
      transactions: unknown[];
    };
    expect([wallet.balance, wallet.transactions.length]).toEqual([25, 1]);
  });
});

describe("stock holds that lapse before the payment is known", () => {
  it("takes the stock again if it is still there, and flags the sale when it was sold meanwhile", async () => {
    const { database, drop } = await openTestDatabase();
    const { simulator, listening } = await startSimulator({ delayMs: 20 });
    const clock = new ManualClock(new Date());
    const payme = await startPayMe({
      database,
      simulatorUrl: listening.url,
      env: { STOCK_HOLD_SECONDS: "60", RECONCILE_AFTER_SECONDS: "30" },
      override: (container) => container.register(PORTS.clock, { useValue: clock }),
    });
    try {
      const owner = await signUpThroughApi(payme.app);
      await verifiedConfig(payme, owner.token, {
        paymentMethod: "till",
        shortcode: "5123002",
        passkey: "pk",
        accountName: "Holds",
      });
      const addProduct = async (name: string, stock: number) =>
        (
          (await (
            await payme.app.request(
              `/api/businesses/${owner.businessId}/products`,
              jsonRequest("POST", { name, price: 10, stock }, owner.token),
            )
          ).json()) as {
            product: { id: string };
          }
        ).product.id;
      const plenty = await addProduct("Plenty", 5);
      const last = await addProduct("Last one", 1);
      const sell = async (productId: string, phone: string) =>
        (
          (await (
            await payme.app.request(
              "/api/sales/payment",
              jsonRequest(
                "POST",
                { businessId: owner.businessId, phone, items: [{ productId, quantity: 1 }] },
                owner.token,
              ),
            )
          ).json()) as { sale: { id: string } }
        ).sale.id;
      const stockOf = async (id: string) => {
        const { products } = (await (
          await payme.app.request(`/api/businesses/${owner.businessId}/products`, bearer(owner.token))
        ).json()) as {
          products: { id: string; stock: number; reserved: number }[];
        };
        return products.find((p) => p.id === id);
      };
      const saleOf = async (id: string) =>
        ((await (await payme.app.request(`/api/sales/${id}`, bearer(owner.token))).json()) as { sale: Json })
          .sale;

      const stillThere = await sell(plenty, LOST_CALLBACK);
      const soldMeanwhile = await sell(last, LOST_CALLBACK);
      expect(await stockOf(last)).toMatchObject({ stock: 0, reserved: 1 });

      clock.advance(61_000);
      await resolve(payme.container, ReleaseLapsedHolds).execute({ limit: 50 });
      expect(await stockOf(plenty)).toMatchObject({ stock: 5, reserved: 0 });
      expect(await stockOf(last)).toMatchObject({ stock: 1, reserved: 0 });
      expect(await saleOf(soldMeanwhile)).toMatchObject({ status: "pending", stockState: "released" });

      // Someone else buys the last one, and pays.
      const other = await sell(last, "0711223344");
      await eventually(async () => ((await saleOf(other)).status === "paid" ? true : undefined));
      expect(await stockOf(last)).toMatchObject({ stock: 0, reserved: 0 });

      clock.advance(31_000);
      await resolve(payme.container, CheckPendingPayments).execute({ limit: 50 });
      expect(await saleOf(stillThere)).toMatchObject({
        status: "paid",
        stockState: "committed",
        needsAttention: false,
      });
      expect(await stockOf(plenty)).toMatchObject({ stock: 4, reserved: 0 });
      const flagged = await saleOf(soldMeanwhile);
      expect(flagged).toMatchObject({ status: "paid", stockState: "released", needsAttention: true });
      expect(String(flagged.attentionReason)).toContain("Last one");
      expect(await stockOf(last)).toMatchObject({ stock: 0, reserved: 0 });
      expect(simulator.stats().maxConcurrentQueriesPerCheckout).toBe(1);
    } finally {
      await payme.stop();
      await listening.close();
      await drop();
    }
  });

  it("expires a payment still unknown after EXPIRE_AFTER_SECONDS; a success later still makes it paid", async () => {
    const { database, drop } = await openTestDatabase();
    const { simulator, listening } = await startSimulator({ delayMs: 600_000 });
    const clock = new ManualClock(new Date());
    const payme = await startPayMe({
      database,
      simulatorUrl: listening.url,
      env: { EXPIRE_AFTER_SECONDS: "3600" },
      override: (container) => container.register(PORTS.clock, { useValue: clock }),
    });
    try {
      const owner = await signUpThroughApi(payme.app);
      const { purchase } = (await (
        await payme.app.request(
          "/api/wallet-payment/initiate",
          jsonRequest("POST", { phone: "0712121212", amount: 15 }, owner.token),
        )
      ).json()) as { purchase: { id: string; checkoutRequestId: string } };
      clock.advance(3_601_000);
      expect(await resolve(payme.container, ExpireStalePayments).execute({ limit: 50 })).toBe(1);
      const statusOf = async () =>
        (
          (await (
            await payme.app.request(`/api/wallet-payment/${purchase.id}`, bearer(owner.token))
          ).json()) as { purchase: Json }
        ).purchase;
      expect((await statusOf()).status).toBe("expired");
      await simulator.settle(purchase.checkoutRequestId);
      await eventually(async () => ((await statusOf()).status === "paid" ? true : undefined));
      expect(
        ((await (await payme.app.request("/api/wallet", bearer(owner.token))).json()) as Json).balance,
      ).toBe(15);
    } finally {
      await payme.stop();
      await listening.close();
      await drop();
    }
  });
});

explainSkipUnlessPostgres("several reconciler instances on one database");

describe.skipIf(!onPostgres())("three reconciler instances on one PostgreSQL database", () => {
  it("settle 50 pending payments exactly once, never querying one payment twice at the same time", async () => {
    const { database, drop } = await openTestDatabase();
    const { simulator, listening } = await startSimulator({ delayMs: 10, queryLatencyMs: 15 });
    const payme = await startPayMe({
      database,
      simulatorUrl: listening.url,
      // 50 wallet pushes to one phone at once: far past the push limits, which are not what this tests.
      env: { RECONCILE_AFTER_SECONDS: "1", PUSHES_PER_PHONE: "1000", WALLET_PUSHES_PER_HOUR: "1000" },
    });
    const url = database.target.kind === "postgres" ? database.target.url : "";
    const instances = await Promise.all(
      [1, 2, 3].map(async () => {
        const own = await Database.open({ kind: "postgres", url });
        const instance = await startPayMe({
          database: own,
          simulatorUrl: listening.url,
          env: { RECONCILE_AFTER_SECONDS: "1" },
        });
        return { own, instance };
      }),
    );
    try {
      const owner = await signUpThroughApi(payme.app);
      const ids: string[] = [];
      for (let i = 0; i < 50; i += 1) {
        const response = await payme.app.request(
          "/api/wallet-payment/initiate",
          jsonRequest("POST", { phone: LOST_CALLBACK, amount: 10 + i }, owner.token),
        );
        ids.push(((await response.json()) as { purchase: { id: string } }).purchase.id);
      }
      await new Promise((r) => setTimeout(r, 1100));
      let settled = 0;
      for (let round = 0; round < 20 && settled < 50; round += 1) {
        const reports = await Promise.all(
          instances.map(({ instance }) =>
            resolve(instance.container, CheckPendingPayments).execute({ limit: 7 }),
          ),
        );
        settled += reports.reduce((sum, report) => sum + report.settled, 0);
      }
      expect(settled).toBe(50);
      const wallet = (await (
        await payme.app.request("/api/wallet?limit=200", bearer(owner.token))
      ).json()) as {
        balance: number;
        transactions: { purchaseId: string }[];
      };
      expect(wallet.transactions).toHaveLength(50);
      expect(new Set(wallet.transactions.map((t) => t.purchaseId))).toEqual(new Set(ids));
      expect(wallet.balance).toBe(Array.from({ length: 50 }, (_, i) => 10 + i).reduce((a, b) => a + b, 0));
      expect(simulator.stats().maxConcurrentQueriesPerCheckout).toBe(1);
    } finally {
      for (const { own, instance } of instances) {
        await instance.stop();
        await own.close();
      }
      await payme.stop();
      await listening.close();
      await drop();
    }
  });
});

function successCallback(checkoutRequestId: string, amount: number, phone: string, receipt: string) {
  return {
    Body: {
      stkCallback: {
        MerchantRequestID: "29115-34620561-1",
        CheckoutRequestID: checkoutRequestId,
        ResultCode: 0,
        ResultDesc: "The service request is processed successfully.",
        CallbackMetadata: {
          Item: [
            { Name: "Amount", Value: amount },
            { Name: "MpesaReceiptNumber", Value: receipt },
            { Name: "TransactionDate", Value: 20260301101500 },
            { Name: "PhoneNumber", Value: Number(phone) },
          ],
        },
      },
    },
  };
}

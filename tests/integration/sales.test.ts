import { describe, expect, it } from "vitest";
import {
  eventually,
  payMeSuite,
  startPayMe,
  startSimulator,
  verifiedConfig,
} from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi } from "../support/test-app.ts";
import { explainSkipUnlessPostgres, onPostgres, openTestDatabase } from "../support/test-database.ts";

type Json = Record<string, unknown>;
type Product = { id: string; stock: number; reserved: number; name: string };
type Sale = {
  id: string;
  status: string;
  amount: number;
  stockState: string;
  mpesaReceipt?: string;
  completedAt?: string;
} & Json;

describe("sales through the business's own config", () => {
  const suite = payMeSuite({ delayMs: 250 });

  const shop = async (config: Json, businessName = "Duka") => {
    const owner = await signUpThroughApi(suite.payme.app, { businessName });
    await verifiedConfig(suite.payme, owner.token, config);
    return owner;
  };
  const addProduct = async (token: string, businessId: string, body: Json) =>
    (
      (await (
        await suite.payme.app.request(
          `/api/businesses/${businessId}/products`,
          jsonRequest("POST", body, token),
        )
      ).json()) as {
        product: Product;
      }
    ).product;
  const productOf = async (token: string, businessId: string, id: string) => {
    const { products } = (await (
      await suite.payme.app.request(`/api/businesses/${businessId}/products?limit=200`, bearer(token))
    ).json()) as {
      products: Product[];
    };
    return products.find((p) => p.id === id);
  };
  const charge = (token: string, body: Json, key?: string) => {
    const init = jsonRequest("POST", body, token);
    if (key !== undefined) {
      (init.headers as Record<string, string>)["Idempotency-Key"] = key;
    }
    return suite.payme.app.request("/api/sales/payment", init);
  };
  const saleOf = async (token: string, id: string) =>
    ((await (await suite.payme.app.request(`/api/sales/${id}`, bearer(token))).json()) as { sale: Sale })
      .sale;
  const settled = (token: string, id: string) =>
    eventually(async () => {
      const sale = await saleOf(token, id);
      return sale.status === "pending" ? undefined : sale;
    });

  it("a paybill business sells two items: paid, stock 5 → 3, pushed with its own shortcode and account reference", async () => {
    const owner = await shop({
      paymentMethod: "paybill",
      shortcode: "600111",
      passkey: "pk-1",
      accountReference: "DUKA1",
      accountName: "Duka One",
    });
    const sugar = await addProduct(owner.token, owner.businessId, {
      name: "Sugar 1kg",
      price: 150,
      stock: 5,
      sku: "SUG-1",
    });
    const response = await charge(owner.token, {
      businessId: owner.businessId,
      phone: "0712345678",
      items: [{ productId: sugar.id, quantity: 2 }],
      description: "Two bags of sugar for Mama Njeri",
    });
    expect(response.status).toBe(202);
    const { sale } = (await response.json()) as { sale: Sale };
    expect(sale).toMatchObject({
      status: "pending",
      amount: 300,
      stockState: "reserved",
      description: "Two bags of sugar for Mama Njeri",
    });
    expect(await productOf(owner.token, owner.businessId, sugar.id)).toMatchObject({ stock: 3, reserved: 2 });
    const push = suite.simulator.stkPushBodies().at(-1);
    expect(push).toMatchObject({
      BusinessShortCode: "600111",
      PartyB: "600111",
      AccountReference: "DUKA1",
      TransactionType: "CustomerPayBillOnline",
      Amount: 300,
      TransactionDesc: "Two bags of s",
    });
    const paid = await settled(owner.token, sale.id);
    expect(paid).toMatchObject({ status: "paid", stockState: "committed" });
    expect(paid.mpesaReceipt).toMatch(/^[A-Z0-9]{10}$/);
    expect(paid.completedAt).toBeTruthy();
    expect(await productOf(owner.token, owner.businessId, sugar.id)).toMatchObject({ stock: 3, reserved: 0 });

    const other = await shop({
      paymentMethod: "paybill",
      shortcode: "600222",
      passkey: "pk-2",
      accountReference: "OTHER2",
      accountName: "Other",
    });
    await charge(other.token, { businessId: other.businessId, phone: "0712345678", amount: 75 });
    expect(suite.simulator.stkPushBodies().at(-1)).toMatchObject({
      BusinessShortCode: "600222",
      AccountReference: "OTHER2",
      Amount: 75,
    });
  });

  it("a till business's sale sends CustomerBuyGoodsOnline with the store number as BusinessShortCode", async () => {
    const owner = await shop(
      {
        paymentMethod: "till",
        shortcode: "5111222",
        storeNumber: "600333",
        passkey: "pk-3",
        accountName: "Till Shop",
      },
      "Till Shop Ltd",
    );
    await charge(owner.token, { businessId: owner.businessId, phone: "0712345678", amount: 10 });
    expect(suite.simulator.stkPushBodies().at(-1)).toMatchObject({
      TransactionType: "CustomerBuyGoodsOnline",
      BusinessShortCode: "600333",
      PartyB: "5111222",
      AccountReference: "TillShopLtd",
    });
  });

  it("a cancelled sale returns its stock", async () => {
    const owner = await shop({
      paymentMethod: "till",
      shortcode: "5222333",
      passkey: "pk-4",
      accountName: "Returns",
    });
    const bread = await addProduct(owner.token, owner.businessId, { name: "Bread", price: 60, stock: 4 });
    const { sale } = (await (
      await charge(owner.token, {
        businessId: owner.businessId,
        phone: "254700000001",
        items: [{ productId: bread.id, quantity: 3 }],
      })
    ).json()) as { sale: Sale };
    expect(await productOf(owner.token, owner.businessId, bread.id)).toMatchObject({ stock: 1, reserved: 3 });
    expect(await settled(owner.token, sale.id)).toMatchObject({
      status: "cancelled",
      stockState: "released",
    });
    expect(await productOf(owner.token, owner.businessId, bread.id)).toMatchObject({ stock: 4, reserved: 0 });
  });

  it("a push refused at once fails the sale and gives the stock back immediately", async () => {
    const owner = await shop({
      paymentMethod: "till",
      shortcode: "5333444",
      passkey: "pk-5",
      accountName: "Busy",
    });
    const milk = await addProduct(owner.token, owner.businessId, { name: "Milk", price: 55, stock: 2 });
    const busy = await charge(owner.token, {
      businessId: owner.businessId,
      phone: "254700000007",
      items: [{ productId: milk.id, quantity: 2 }],
    });
    expect(busy.status).toBe(409);
    expect(((await busy.json()) as Json).code).toBe("subscriber_busy");
    expect(await productOf(owner.token, owner.businessId, milk.id)).toMatchObject({ stock: 2, reserved: 0 });
  });

  it("refuses a sale it cannot cover, naming the product, and reserves nothing", async () => {
    const owner = await shop({
      paymentMethod: "till",
      shortcode: "5444555",
      passkey: "pk-6",
      accountName: "Scarce",
    });
    const plenty = await addProduct(owner.token, owner.businessId, { name: "Rice", price: 100, stock: 10 });
    const scarce = await addProduct(owner.token, owner.businessId, {
      name: "Last loaf",
      price: 60,
      stock: 1,
    });
    const response = await charge(owner.token, {
      businessId: owner.businessId,
      phone: "0712345678",
      items: [
        { productId: plenty.id, quantity: 2 },
        { productId: scarce.id, quantity: 2 },
      ],
    });
    expect(response.status).toBe(409);
    const problem = (await response.json()) as { code: string; detail: string };
    expect(problem.code).toBe("insufficient_stock");
    expect(problem.detail).toContain("Last loaf");
    expect(await productOf(owner.token, owner.businessId, plenty.id)).toMatchObject({
      stock: 10,
      reserved: 0,
    });
  });

  it("checks amounts: a mismatch is 422, a missing amount without items is 400", async () => {
    const owner = await shop({
      paymentMethod: "till",
      shortcode: "5555666",
      passkey: "pk-7",
      accountName: "Sums",
    });
    const tea = await addProduct(owner.token, owner.businessId, { name: "Tea", price: 40, stock: 9 });
    const mismatch = await charge(owner.token, {
      businessId: owner.businessId,
      phone: "0712345678",
      amount: 100,
      items: [{ productId: tea.id, quantity: 2 }],
    });
    expect(mismatch.status).toBe(422);
    expect(((await mismatch.json()) as Json).code).toBe("amount_mismatch");
    const none = await charge(owner.token, { businessId: owner.businessId, phone: "0712345678" });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual([
      "amount",
    ]);
  });

  it("answers 422 without a config, and without a verified one", async () => {
    const bare = await signUpThroughApi(suite.payme.app);
    const missing = await charge(bare.token, {
      businessId: bare.businessId,
      phone: "0712345678",
      amount: 10,
    });
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as Json).code).toBe("payment_config_missing");
    await suite.payme.app.request(
      "/api/payment-config/setup",
      jsonRequest(
        "POST",
        { paymentMethod: "till", shortcode: "5666777", passkey: "p", accountName: "New" },
        bare.token,
      ),
    );
    const unverified = await charge(bare.token, {
      businessId: bare.businessId,
      phone: "0712345678",
      amount: 10,
    });
    expect(unverified.status).toBe(422);
    expect(((await unverified.json()) as Json).code).toBe("payment_config_unverified");
  });

  it("lists a business's sales by status, and updates products", async () => {
    const owner = await shop({
      paymentMethod: "till",
      shortcode: "5777888",
      passkey: "pk-8",
      accountName: "Lists",
    });
    const eggs = await addProduct(owner.token, owner.businessId, { name: "Eggs", price: 20, stock: 30 });
    const a = (await (
      await charge(owner.token, { businessId: owner.businessId, phone: "0712000001", amount: 11 })
    ).json()) as { sale: Sale };
    const b = (await (
      await charge(owner.token, { businessId: owner.businessId, phone: "254700000002", amount: 12 })
    ).json()) as { sale: Sale };
    await settled(owner.token, a.sale.id);
    await settled(owner.token, b.sale.id);
    const failed = (await (
      await suite.payme.app.request(
        `/api/businesses/${owner.businessId}/sales?status=failed`,
        bearer(owner.token),
      )
    ).json()) as {
      sales: Sale[];
    };
    expect(failed.sales.map((s) => s.id)).toEqual([b.sale.id]);
    const all = (await (
      await suite.payme.app.request(`/api/businesses/${owner.businessId}/sales?limit=1`, bearer(owner.token))
    ).json()) as {
      sales: Sale[];
      nextCursor: string | null;
    };
    expect(all.sales.map((s) => s.id)).toEqual([b.sale.id]);
    expect(all.nextCursor).not.toBeNull();
    const patched = await suite.payme.app.request(
      `/api/businesses/${owner.businessId}/products/${eggs.id}`,
      jsonRequest("PATCH", { stock: 12, price: 25 }, owner.token),
    );
    expect(((await patched.json()) as { product: Product }).product).toMatchObject({ stock: 12, price: 25 });
    const negative = await suite.payme.app.request(
      `/api/businesses/${owner.businessId}/products/${eggs.id}`,
      jsonRequest("PATCH", { stock: -1 }, owner.token),
    );
    expect(negative.status).toBe(400);
    const duplicateSku = async () =>
      suite.payme.app.request(
        `/api/businesses/${owner.businessId}/products`,
        jsonRequest("POST", { name: "X", price: 1, stock: 1, sku: "DUP" }, owner.token),
      );
    expect((await duplicateSku()).status).toBe(201);
    const again = await duplicateSku();
    expect(again.status).toBe(409);
    expect(((await again.json()) as Json).code).toBe("sku_taken");
  });

  it("the same Idempotency-Key charges once", async () => {
    const owner = await shop({
      paymentMethod: "till",
      shortcode: "5888999",
      passkey: "pk-9",
      accountName: "Once",
    });
    const before = suite.simulator.stats().stkPushes;
    const body = { businessId: owner.businessId, phone: "0712345678", amount: 33 };
    const first = await charge(owner.token, body, "sale-33");
    const second = await charge(owner.token, body, "sale-33");
    expect(await second.text()).toBe(await first.text());
    expect(suite.simulator.stats().stkPushes - before).toBe(1);
  });
});

explainSkipUnlessPostgres("the last-items race (20 concurrent sales for 3 units)");

describe.skipIf(!onPostgres())("the last items, on PostgreSQL", () => {
  it("20 concurrent sales for a product with stock 3 give 3 reservations and 17 409s; stock ends at 0", async () => {
    const { database, drop } = await openTestDatabase();
    const { simulator, listening } = await startSimulator({ delayMs: 250 });
    const payme = await startPayMe({ database, simulatorUrl: listening.url });
    try {
      const owner = await signUpThroughApi(payme.app);
      await verifiedConfig(payme, owner.token, {
        paymentMethod: "till",
        shortcode: "5999000",
        passkey: "pk",
        accountName: "Last",
      });
      const created = await payme.app.request(
        `/api/businesses/${owner.businessId}/products`,
        jsonRequest("POST", { name: "Last three", price: 10, stock: 3 }, owner.token),
      );
      const { product } = (await created.json()) as { product: Product };
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          payme.app.request(
            "/api/sales/payment",
            jsonRequest(
              "POST",
              {
                businessId: owner.businessId,
                phone: `07120000${String(i).padStart(2, "0")}`,
                items: [{ productId: product.id, quantity: 1 }],
              },
              owner.token,
            ),
          ),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses.filter((s) => s === 202)).toHaveLength(3);
      expect(statuses.filter((s) => s === 409)).toHaveLength(17);
      await eventually(async () => {
        const { sales } = (await (
          await payme.app.request(
            `/api/businesses/${owner.businessId}/sales?status=paid`,
            bearer(owner.token),
          )
        ).json()) as {
          sales: Sale[];
        };
        return sales.length === 3 ? true : undefined;
      });
      await simulator.whenIdle();
      const { products } = (await (
        await payme.app.request(`/api/businesses/${owner.businessId}/products`, bearer(owner.token))
      ).json()) as {
        products: Product[];
      };
      expect(products[0]).toMatchObject({ stock: 0, reserved: 0 });
    } finally {
      await payme.stop();
      await listening.close();
      await drop();
    }
  });
});

import { describe, expect, it } from "vitest";
import { DEVELOPMENT_WALLET_PASSKEY } from "../../src/adapters/daraja-simulator/simulator-credentials.ts";
import { startSimulator } from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi, testApp } from "../support/test-app.ts";

/**
 * Every route that takes something of a business answers another user exactly as it answers for something
 * that does not exist: 404 not_found, never 403, never the data. Each issue adds its routes to this table.
 */
type Ids = { businessId: string; productId: string; saleId: string; purchaseId: string; payoutId: string };

const businessScopedRoutes: ReadonlyArray<{
  name: string;
  request: (ids: Ids) => [path: string, init: RequestInit];
}> = [
  {
    name: "GET /api/businesses/:businessId",
    request: ({ businessId }) => [`/api/businesses/${businessId}`, {}],
  },
  {
    name: "GET /api/payment-config",
    request: ({ businessId }) => [`/api/payment-config?businessId=${businessId}`, {}],
  },
  {
    name: "POST /api/payment-config/setup",
    request: ({ businessId }) => [
      "/api/payment-config/setup",
      jsonRequest("POST", {
        businessId,
        paymentMethod: "till",
        shortcode: "5123456",
        passkey: "p",
        accountName: "Mine now",
      }),
    ],
  },
  {
    name: "POST /api/payment-config/verify",
    request: ({ businessId }) => [
      "/api/payment-config/verify",
      jsonRequest("POST", { businessId, phone: "0700000001" }),
    ],
  },
  { name: "GET products", request: ({ businessId }) => [`/api/businesses/${businessId}/products`, {}] },
  {
    name: "POST products",
    request: ({ businessId }) => [
      `/api/businesses/${businessId}/products`,
      jsonRequest("POST", { name: "Sneaky", price: 1, stock: 1 }),
    ],
  },
  {
    name: "PATCH products/:id",
    request: ({ businessId, productId }) => [
      `/api/businesses/${businessId}/products/${productId}`,
      jsonRequest("PATCH", { stock: 40 }),
    ],
  },
  {
    name: "POST /api/sales/payment",
    request: ({ businessId, productId }) => [
      "/api/sales/payment",
      jsonRequest("POST", { businessId, phone: "0700000002", items: [{ productId, quantity: 1 }] }),
    ],
  },
  { name: "GET /api/sales/:id", request: ({ saleId }) => [`/api/sales/${saleId}`, {}] },
  {
    name: "GET sales of a business",
    request: ({ businessId }) => [`/api/businesses/${businessId}/sales`, {}],
  },
  {
    name: "GET /api/wallet-payment/:id",
    request: ({ purchaseId }) => [`/api/wallet-payment/${purchaseId}`, {}],
  },
  {
    name: "POST /api/payout-config/setup",
    request: ({ businessId }) => [
      "/api/payout-config/setup",
      jsonRequest("POST", {
        businessId,
        shortcode: "600996",
        initiatorName: "testapi",
        initiatorPassword: "pw",
      }),
    ],
  },
  {
    name: "POST /api/payouts",
    request: ({ businessId }) => [
      "/api/payouts",
      jsonRequest("POST", { businessId, phone: "0799887766", amount: 100 }),
    ],
  },
  { name: "GET /api/payouts/:id", request: ({ payoutId }) => [`/api/payouts/${payoutId}`, {}] },
  { name: "GET /api/payouts/:id/events", request: ({ payoutId }) => [`/api/payouts/${payoutId}/events`, {}] },
];

describe("tenant isolation", () => {
  it("user B gets 404 for everything of user A's, as for something that does not exist", async () => {
    const { listening } = await startSimulator({ delayMs: 600_000 });
    const { app } = testApp({
      env: { ALLOW_UNVERIFIED_PAYMENT_CONFIG: "true" },
      daraja: {
        baseUrl: listening.url,
        consumerKey: "k",
        consumerSecret: "s",
        walletPasskey: DEVELOPMENT_WALLET_PASSKEY,
        stop: () => listening.close(),
      },
    });
    const alice = await signUpThroughApi(app, { businessName: "Alice's Kiosk" });
    const bob = await signUpThroughApi(app, { businessName: "Bob's Barbershop" });
    const nobody = "01936f4e-0000-7000-8000-00000000dead";
    const missing: Ids = {
      businessId: nobody,
      productId: nobody,
      saleId: nobody,
      purchaseId: nobody,
      payoutId: nobody,
    };
    // Alice has a config, so that "exists but is not yours" is really tested for config routes.
    await app.request(
      "/api/payment-config/setup",
      jsonRequest(
        "POST",
        { paymentMethod: "till", shortcode: "5999999", passkey: "p", accountName: "Alice" },
        alice.token,
      ),
    );

    const product = (await (
      await app.request(
        `/api/businesses/${alice.businessId}/products`,
        jsonRequest("POST", { name: "Alice's chapati", price: 20, stock: 50 }, alice.token),
      )
    ).json()) as { product: { id: string } };
    const sale = (await (
      await app.request(
        "/api/sales/payment",
        jsonRequest("POST", { businessId: alice.businessId, phone: "0700000003", amount: 10 }, alice.token),
      )
    ).json()) as { sale: { id: string } };
    const purchase = (await (
      await app.request(
        "/api/wallet-payment/initiate",
        jsonRequest("POST", { phone: "0700000004", amount: 10 }, alice.token),
      )
    ).json()) as { purchase: { id: string } };
    await app.request(
      "/api/payout-config/setup",
      jsonRequest(
        "POST",
        { shortcode: "600996", initiatorName: "testapi", initiatorPassword: "pw" },
        alice.token,
      ),
    );
    const payout = (await (
      await app.request(
        "/api/payouts",
        jsonRequest("POST", { businessId: alice.businessId, phone: "0799887700", amount: 100 }, alice.token),
      )
    ).json()) as { payout: { id: string } };
    const ids: Ids = {
      payoutId: payout.payout.id,
      businessId: alice.businessId,
      productId: product.product.id,
      saleId: sale.sale.id,
      purchaseId: purchase.purchase.id,
    };

    for (const route of businessScopedRoutes) {
      const [path, init] = route.request(ids);
      const asBob = await app.request(path, {
        ...init,
        headers: { ...init.headers, Authorization: `Bearer ${bob.token}` },
      });
      const [missingPath, missingInit] = route.request(missing);
      const absent = await app.request(missingPath, {
        ...missingInit,
        headers: { ...missingInit.headers, Authorization: `Bearer ${bob.token}` },
      });
      expect(asBob.status, route.name).toBe(404);
      const body = await asBob.text();
      expect(body, route.name).not.toContain("Alice");
      expect(JSON.parse(body), route.name).toMatchObject({ code: "not_found" });
      expect(JSON.parse(body).detail, route.name).toBe(JSON.parse(await absent.text()).detail);
      const asAlice = await app.request(path, {
        ...init,
        headers: { ...init.headers, Authorization: `Bearer ${alice.token}` },
      });
      expect(asAlice.status, `${route.name} as the owner`).toBeLessThan(300);
    }
    await listening.close();
  });

  it("lists only the user's own businesses, and creates new ones for them alone", async () => {
    const { app } = testApp();
    const alice = await signUpThroughApi(app, { businessName: "Alice's Kiosk" });
    const bob = await signUpThroughApi(app, { businessName: "Bob's Barbershop" });
    const created = await app.request(
      "/api/businesses",
      jsonRequest("POST", { name: "Alice's Second Kiosk" }, alice.token),
    );
    expect(created.status).toBe(201);
    const aliceList = (await (await app.request("/api/businesses", bearer(alice.token))).json()) as {
      businesses: { name: string }[];
    };
    expect(aliceList.businesses.map((b) => b.name)).toEqual(["Alice's Second Kiosk", "Alice's Kiosk"]);
    const bobList = (await (await app.request("/api/businesses", bearer(bob.token))).json()) as {
      businesses: { name: string }[];
    };
    expect(bobList.businesses.map((b) => b.name)).toEqual(["Bob's Barbershop"]);
  });

  it("checks business input and path ids", async () => {
    const { app } = testApp();
    const alice = await signUpThroughApi(app);
    const blank = await app.request("/api/businesses", jsonRequest("POST", { name: "  " }, alice.token));
    expect(blank.status).toBe(400);
    expect(await blank.json()).toMatchObject({ code: "validation_failed", errors: [{ path: "name" }] });
    const badId = await app.request("/api/businesses/not-an-id", bearer(alice.token));
    expect(badId.status).toBe(400);
    expect(await badId.json()).toMatchObject({ code: "validation_failed", errors: [{ path: "businessId" }] });
    expect((await app.request("/api/businesses")).status).toBe(401);
  });
});

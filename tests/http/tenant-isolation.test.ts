import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ListeningSimulator } from "../../src/adapters/daraja-simulator/daraja-simulator.ts";
import { startSimulator } from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi, testApp } from "../support/test-app.ts";

/** What the routes below are asked about: user A's business, and things of it. */
type OwnedIds = { businessId: string; payoutId: string };

/**
 * Every route that takes something of a business answers another user exactly as it answers for something
 * that does not exist: 404 not_found, never 403, never the data. Each issue adds its routes to this table.
 */
const businessScopedRoutes: ReadonlyArray<{
  name: string;
  request: (ids: OwnedIds) => [path: string, init: RequestInit];
}> = [
  {
    name: "GET /api/businesses/:businessId",
    request: ({ businessId }) => [`/api/businesses/${businessId}`, {}],
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
      jsonRequest("POST", { businessId, phone: "0712345678", amount: 100 }),
    ],
  },
  { name: "GET /api/payouts/:id", request: ({ payoutId }) => [`/api/payouts/${payoutId}`, {}] },
  { name: "GET /api/payouts/:id/events", request: ({ payoutId }) => [`/api/payouts/${payoutId}/events`, {}] },
];

/** A Daraja simulator that never calls back: payouts made in these tests stay pending. */
let simulator: ListeningSimulator;
beforeAll(async () => {
  simulator = (await startSimulator({ delayMs: 600_000 })).listening;
});
afterAll(() => simulator.close());

const appWithDaraja = () =>
  testApp({
    daraja: {
      baseUrl: simulator.url,
      consumerKey: "test-key",
      consumerSecret: "test-secret",
      walletPasskey: null,
      stop: async () => undefined,
    },
  });

/** A payout of the user's business, through the API. */
async function aPayoutOf(
  app: ReturnType<typeof testApp>["app"],
  owner: { token: string; businessId: string },
) {
  await app.request(
    "/api/payout-config/setup",
    jsonRequest(
      "POST",
      { shortcode: "600996", initiatorName: "testapi", initiatorPassword: "pw" },
      owner.token,
    ),
  );
  const started = await app.request(
    "/api/payouts",
    jsonRequest("POST", { businessId: owner.businessId, phone: "0712345678", amount: 100 }, owner.token),
  );
  return ((await started.json()) as { payout: { id: string } }).payout.id;
}

describe("tenant isolation", () => {
  it("user B gets 404 for everything of user A's, as for something that does not exist", async () => {
    const { app } = appWithDaraja();
    const alice = await signUpThroughApi(app, { businessName: "Alice's Kiosk" });
    const bob = await signUpThroughApi(app, { businessName: "Bob's Barbershop" });
    const missing = {
      businessId: "01936f4e-0000-7000-8000-00000000dead",
      payoutId: "01936f4e-0000-7000-8000-00000000beef",
    };
    const owned = { businessId: alice.businessId, payoutId: await aPayoutOf(app, alice) };

    for (const route of businessScopedRoutes) {
      const [path, init] = route.request(owned);
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

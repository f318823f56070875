import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { aPaymentConfig, aPhone, aSale } from "../support/builders.ts";
import { bearer, jsonRequest, signUpThroughApi, type TestApp, testApp } from "../support/test-app.ts";
import { openTestDatabase } from "../support/test-database.ts";

type Json = Record<string, unknown>;
type Person = Awaited<ReturnType<typeof signUpThroughApi>>;

/** Two PayMe instances on one database, as behind a load balancer: nothing but the database is shared. */
let opened: { database: Database; drop: () => Promise<void> };
let a: TestApp;
let b: TestApp;
let owner: Person;
let manager: Person;
let cashier: Person;
let stranger: Person;
let productId: string;
/** A paid sale of the owner's business (its config has no initiator: a full refund is 422 initiator_missing). */
let paidSaleId: string;

const add = async (who: Person, role: string) => {
  const response = await a.app.request(
    `/api/businesses/${owner.businessId}/members`,
    jsonRequest("POST", { email: who.email, role }, owner.token),
  );
  expect(response.status).toBe(201);
  return (await response.json()) as { member: Json };
};

beforeAll(async () => {
  opened = await openTestDatabase();
  a = testApp({ database: opened.database });
  b = testApp({ database: opened.database });
  owner = await signUpThroughApi(a.app);
  manager = await signUpThroughApi(a.app);
  cashier = await signUpThroughApi(a.app);
  stranger = await signUpThroughApi(a.app);
  await add(manager, "manager");
  await add(cashier, "cashier");
  const product = await a.app.request(
    `/api/businesses/${owner.businessId}/products`,
    jsonRequest("POST", { name: "Sukari 1kg", price: 150, stock: 20 }, owner.token),
  );
  expect(product.status).toBe(201);
  productId = ((await product.json()) as { product: { id: string } }).product.id;
  // An old config, inactive: the business still has no payment config for the other rows.
  const config = aPaymentConfig(owner.businessId, { shortcode: "600555" });
  config.deactivate();
  const sale = aSale(owner.businessId, { amount: 120, paymentConfigId: config.id });
  sale.markPaid({ receipt: "UAC1AC0001", amount: 120, phone: aPhone(), at: new Date() });
  await new MikroOrmUnitOfWork(opened.database).run(async (r) => {
    await r.paymentConfigs.add(config);
    await r.sales.add(sale);
  });
  paidSaleId = sale.id;
});

afterAll(async () => {
  await opened.drop();
});

type Row = {
  readonly what: string;
  readonly method: string;
  readonly path: () => string;
  readonly body?: () => unknown;
  readonly roles: readonly ("owner" | "manager" | "cashier")[];
};

/** Every row of the contract's roles table that exists today, each with the roles that may do it. */
const ROWS: readonly Row[] = [
  {
    what: "read the business",
    method: "GET",
    path: () => `/api/businesses/${owner.businessId}`,
    roles: ["owner", "manager", "cashier"],
  },
  {
    what: "read products",
    method: "GET",
    path: () => `/api/businesses/${owner.businessId}/products`,
    roles: ["owner", "manager", "cashier"],
  },
  {
    what: "add a product",
    method: "POST",
    path: () => `/api/businesses/${owner.businessId}/products`,
    body: () => ({ name: "Chumvi", price: 30, stock: 5 }),
    roles: ["owner", "manager"],
  },
  {
    what: "change a product",
    method: "PATCH",
    path: () => `/api/businesses/${owner.businessId}/products/${productId}`,
    body: () => ({ stock: 19 }),
    roles: ["owner", "manager"],
  },
  {
    what: "read sales",
    method: "GET",
    path: () => `/api/businesses/${owner.businessId}/sales`,
    roles: ["owner", "manager", "cashier"],
  },
  // No payment config yet: a caller who may charge gets 422 payment_config_missing, one who may not gets 403.
  {
    what: "charge a customer",
    method: "POST",
    path: () => "/api/sales/payment",
    body: () => ({ businessId: owner.businessId, phone: "0712345678", amount: 100 }),
    roles: ["owner", "manager", "cashier"],
  },
  // The config has no initiator: a caller who may refund gets 422 initiator_missing, one who may not gets 403.
  {
    what: "refund a sale",
    method: "POST",
    path: () => `/api/sales/${paidSaleId}/refund`,
    body: () => ({}),
    roles: ["owner", "manager"],
  },
  {
    what: "refund part of a sale",
    method: "POST",
    path: () => `/api/sales/${paidSaleId}/refund`,
    body: () => ({ amount: 50 }),
    roles: ["owner", "manager"],
  },
  {
    what: "read payouts",
    method: "GET",
    path: () => `/api/businesses/${owner.businessId}/payouts`,
    roles: ["owner", "manager"],
  },
  {
    what: "send a payout",
    method: "POST",
    path: () => "/api/payouts",
    body: () => ({ businessId: owner.businessId, phone: "0712345678", amount: 100 }),
    roles: ["owner"],
  },
  {
    what: "read the payment config",
    method: "GET",
    path: () => `/api/payment-config?businessId=${owner.businessId}`,
    roles: ["owner"],
  },
  {
    what: "verify the payment config",
    method: "POST",
    path: () => "/api/payment-config/verify",
    body: () => ({ businessId: owner.businessId, phone: "0712345678" }),
    roles: ["owner"],
  },
  {
    what: "read the payout config",
    method: "GET",
    path: () => `/api/payout-config?businessId=${owner.businessId}`,
    roles: ["owner"],
  },
  {
    what: "change payout limits",
    method: "PATCH",
    path: () => "/api/payout-config",
    body: () => ({ businessId: owner.businessId, dailyLimit: 5000 }),
    roles: ["owner"],
  },
  {
    what: "read C2B payments",
    method: "GET",
    path: () => `/api/businesses/${owner.businessId}/c2b-payments`,
    roles: ["owner", "manager", "cashier"],
  },
  // No verified config yet: the owner is told so (a 4xx of its own); anyone else is refused first.
  {
    what: "register C2B URLs",
    method: "POST",
    path: () => `/api/businesses/${owner.businessId}/c2b/register`,
    body: () => ({}),
    roles: ["owner"],
  },
  {
    what: "pull missed C2B payments",
    method: "POST",
    path: () => `/api/businesses/${owner.businessId}/c2b/pull`,
    body: () => ({}),
    roles: ["owner"],
  },
  {
    what: "list webhook endpoints",
    method: "GET",
    path: () => `/api/businesses/${owner.businessId}/webhook-endpoints`,
    roles: ["owner", "manager"],
  },
  {
    what: "add a webhook endpoint",
    method: "POST",
    path: () => `/api/businesses/${owner.businessId}/webhook-endpoints`,
    body: () => ({ url: "http://127.0.0.1:9/hooks" }),
    roles: ["owner", "manager"],
  },
  {
    what: "read events",
    method: "GET",
    path: () => `/api/businesses/${owner.businessId}/events`,
    roles: ["owner", "manager"],
  },
  {
    // No payment config yet: those allowed get 422 payment_config_missing, never Daraja.
    what: "look up a transaction by its receipt",
    method: "GET",
    path: () => `/api/businesses/${owner.businessId}/transactions/SBK4QUB1VA`,
    roles: ["owner", "manager"],
  },
  {
    what: "ask for the balance",
    method: "GET",
    path: () => `/api/businesses/${owner.businessId}/balance`,
    roles: ["owner", "manager"],
  },
  {
    what: "list members",
    method: "GET",
    path: () => `/api/businesses/${owner.businessId}/members`,
    roles: ["owner"],
  },
  {
    what: "list API keys",
    method: "GET",
    path: () => `/api/businesses/${owner.businessId}/api-keys`,
    roles: ["owner"],
  },
];

const tokenOf = (role: "owner" | "manager" | "cashier") =>
  role === "owner" ? owner.token : role === "manager" ? manager.token : cashier.token;

const send = (app: TestApp["app"], row: Row, token: string) =>
  app.request(
    row.path(),
    row.body === undefined
      ? { method: row.method, ...bearer(token) }
      : jsonRequest(row.method, row.body(), token),
  );

describe("the roles table, on two instances sharing one database", () => {
  for (const row of ROWS) {
    for (const role of ["owner", "manager", "cashier"] as const) {
      const may = row.roles.includes(role);
      it(`${role} ${may ? "may" : "may not"} ${row.what}`, async () => {
        const response = await send(b.app, row, tokenOf(role));
        const body = (await response.json().catch(() => ({}))) as Json;
        if (may) {
          expect([401, 403, 500], JSON.stringify(body)).not.toContain(response.status);
          // A missing config is a 404 of its own; a 404 for the business would mean the member was not let in.
          expect(body.detail).not.toBe("No such business.");
        } else {
          expect(response.status, JSON.stringify(body)).toBe(403);
          expect(body.code).toBe("forbidden");
        }
      });
    }
    it(`a non-member gets 404 (or 403 where the business is in the body) for: ${row.what}`, async () => {
      const response = await send(b.app, row, stranger.token);
      expect([403, 404]).toContain(response.status);
      if (row.path().includes(owner.businessId)) {
        expect(response.status).toBe(404);
      }
    });
  }

  it("names the caller on every request's log line: the user and their role", async () => {
    await b.app.request(`/api/businesses/${owner.businessId}/products`, bearer(cashier.token));
    const line = b
      .logLines()
      .map((text) => JSON.parse(text) as Json)
      .find(
        (entry) =>
          entry.msg === "request" &&
          entry.userId === cashier.userId &&
          entry.role === "cashier" &&
          entry.route === "/api/businesses/:businessId/products",
      );
    expect(line).toMatchObject({
      credential: "jwt",
      route: "/api/businesses/:businessId/products",
      status: 200,
    });
  });

  it("implies the business left out of a request only where one business alone allows the action", async () => {
    // The cashier owns a business of their own too: only that one lets them read a payment config...
    const config = await b.app.request("/api/payment-config", bearer(cashier.token));
    expect(((await config.json()) as Json).detail).toBe("No such payment config.");
    // ...but they may charge in both, so a charge must say which.
    const charge = await b.app.request(
      "/api/sales/payment",
      jsonRequest("POST", { phone: "0712345678", amount: 100 }, cashier.token),
    );
    expect(charge.status).toBe(400);
  });

  it("shows members their businesses with their role; setupNeeded counts only owned ones", async () => {
    const listed = (await (await b.app.request("/api/businesses", bearer(cashier.token))).json()) as {
      businesses: { id: string; role: string }[];
    };
    expect(listed.businesses).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: owner.businessId, role: "cashier" }),
        expect.objectContaining({ id: cashier.businessId, role: "owner" }),
      ]),
    );
    const me = (await (await b.app.request("/auth/me", bearer(manager.token))).json()) as {
      businesses: { id: string; role: string }[];
    };
    expect(me.businesses).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: owner.businessId, role: "manager" })]),
    );
  });

  it("keeps an owner: demoting or removing the last one is 409 last_owner; a second owner makes it possible", async () => {
    const other = await signUpThroughApi(a.app);
    const demote = await a.app.request(
      `/api/businesses/${other.businessId}/members/${other.userId}`,
      jsonRequest("PATCH", { role: "manager" }, other.token),
    );
    expect(demote.status).toBe(409);
    expect(((await demote.json()) as Json).code).toBe("last_owner");
    const remove = await a.app.request(`/api/businesses/${other.businessId}/members/${other.userId}`, {
      method: "DELETE",
      ...bearer(other.token),
    });
    expect(remove.status).toBe(409);
    const helper = await signUpThroughApi(a.app);
    await a.app.request(
      `/api/businesses/${other.businessId}/members`,
      jsonRequest("POST", { email: helper.email, role: "manager" }, other.token),
    );
    const promoted = await a.app.request(
      `/api/businesses/${other.businessId}/members/${helper.userId}`,
      jsonRequest("PATCH", { role: "owner" }, other.token),
    );
    expect(promoted.status).toBe(200);
    const stepDown = await a.app.request(
      `/api/businesses/${other.businessId}/members/${other.userId}`,
      jsonRequest("PATCH", { role: "cashier" }, other.token),
    );
    expect(stepDown.status).toBe(200);
    // The former owner is a cashier from the very next request, on the other instance too.
    const refused = await b.app.request(`/api/businesses/${other.businessId}/members`, bearer(other.token));
    expect(refused.status).toBe(403);
  });

  it("a removed member loses access on the next request, on the other instance", async () => {
    const temp = await signUpThroughApi(a.app);
    await add(temp, "manager");
    const before = await b.app.request(`/api/businesses/${owner.businessId}/products`, bearer(temp.token));
    expect(before.status).toBe(200);
    const removed = await a.app.request(`/api/businesses/${owner.businessId}/members/${temp.userId}`, {
      method: "DELETE",
      ...bearer(owner.token),
    });
    expect(removed.status).toBe(204);
    const after = await b.app.request(`/api/businesses/${owner.businessId}/products`, bearer(temp.token));
    expect(after.status).toBe(404);
  });
});

describe("invitations", () => {
  const invite = async (email: string, role = "cashier") => {
    const response = await a.app.request(
      `/api/businesses/${owner.businessId}/members`,
      jsonRequest("POST", { email, role }, owner.token),
    );
    expect(response.status).toBe(201);
    const body = (await response.json()) as { invitation: Json; inviteUrl: string };
    const token = new URL(body.inviteUrl).searchParams.get("invitation") ?? "";
    return { body, token };
  };

  it("lets only the invited email sign up through the link, once; the new member owns no business", async () => {
    const email = `invited-${Date.now()}@example.com`;
    const { body, token } = await invite(email);
    expect(body.invitation).toMatchObject({ email, role: "cashier" });
    expect(Date.parse(String(body.invitation.expiresAt)) - Date.now()).toBeGreaterThan(
      6.9 * 24 * 3600 * 1000,
    );
    const signUp = (as: string) =>
      b.app.request(
        "/auth/sign-up",
        jsonRequest("POST", {
          email: as,
          password: "a-long-enough-password",
          name: "New Hire",
          invitation: token,
        }),
      );
    const wrongEmail = await signUp(`someone-else-${Date.now()}@example.com`);
    expect(wrongEmail.status).toBe(400);
    const joined = await signUp(email);
    expect(joined.status).toBe(201);
    const session = (await joined.json()) as { token: string; business: Json; setupNeeded: boolean };
    expect(session.business).toMatchObject({ id: owner.businessId, role: "cashier" });
    expect(session.setupNeeded).toBe(false);
    const mine = (await (await b.app.request("/api/businesses", bearer(session.token))).json()) as {
      businesses: Json[];
    };
    expect(mine.businesses).toEqual([expect.objectContaining({ id: owner.businessId, role: "cashier" })]);
    // Spent: nobody signs up with it again.
    const again = await b.app.request(
      "/auth/sign-up",
      jsonRequest("POST", {
        email: `x-${email}`,
        password: "a-long-enough-password",
        name: "X",
        invitation: token,
      }),
    );
    expect(again.status).toBe(400);
  });

  it("lets an existing user with the invited email accept it; anyone else gets 404", async () => {
    const email = `later-${Date.now()}@example.com`;
    const { token } = await invite(email, "manager");
    const later = await signUpThroughApi(a.app, { email });
    const others = await b.app.request(`/api/invitations/${token}/accept`, {
      method: "POST",
      ...bearer(stranger.token),
    });
    expect(others.status).toBe(404);
    const accepted = await b.app.request(`/api/invitations/${token}/accept`, {
      method: "POST",
      ...bearer(later.token),
    });
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as { business: Json }).business).toMatchObject({
      id: owner.businessId,
      role: "manager",
    });
    const twice = await b.app.request(`/api/invitations/${token}/accept`, {
      method: "POST",
      ...bearer(later.token),
    });
    expect(twice.status).toBe(404);
  });

  it("never stores or logs an invitation token in plaintext", async () => {
    const { token } = await invite(`stored-${Date.now()}@example.com`);
    // Presented by the wrong person: refused, and the path of the request is logged without the token.
    const tried = await b.app.request(`/api/invitations/${token}/accept`, {
      method: "POST",
      ...bearer(stranger.token),
    });
    expect(tried.status).toBe(404);
    expect(await tried.text()).not.toContain(token);
    const rows = await opened.database.orm.em.fork().execute("select * from invitations");
    expect(JSON.stringify(rows)).not.toContain(token);
    expect([...a.logLines(), ...b.logLines()].join("\n")).not.toContain(token);
    const listed = await a.app.request(
      `/api/businesses/${owner.businessId}/invitations`,
      bearer(owner.token),
    );
    expect(await listed.text()).not.toContain(token);
  });
});

describe("API keys", () => {
  const createKey = async (body: Json) => {
    const response = await a.app.request(
      `/api/businesses/${owner.businessId}/api-keys`,
      jsonRequest("POST", body, owner.token),
    );
    return {
      status: response.status,
      body: (await response.json()) as { apiKey: Json; secret: string } & Json,
    };
  };

  it("is created shown once, listed without its secret, and acts for its business only, within its default scopes", async () => {
    const { status, body } = await createKey({ name: "Till app" });
    expect(status).toBe(201);
    const secret = body.secret;
    expect(secret).toMatch(/^sk_test_[0-9A-Za-z]{43}$/);
    expect(body.apiKey).toMatchObject({
      name: "Till app",
      prefix: secret.slice(0, 12),
      scopes: ["sales:read", "sales:write", "products:read", "c2b:read"],
      lastUsedAt: null,
    });
    const key = bearer(secret);
    expect((await b.app.request(`/api/businesses/${owner.businessId}/products`, key)).status).toBe(200);
    // businessId may be left out with a key: its own business (no config yet, so 422 and not 400 or 403).
    const charge = await b.app.request(
      "/api/sales/payment",
      jsonRequest("POST", { phone: "0712345678", amount: 10 }, secret),
    );
    expect(((await charge.json()) as Json).code).toBe("payment_config_missing");
    expect((await b.app.request(`/api/businesses/${stranger.businessId}/products`, key)).status).toBe(404);
    expect((await b.app.request(`/api/businesses/${owner.businessId}/members`, key)).status).toBe(403);
    expect((await b.app.request(`/api/businesses/${owner.businessId}/api-keys`, key)).status).toBe(403);
    expect((await b.app.request(`/api/payment-config?businessId=${owner.businessId}`, key)).status).toBe(403);
    expect((await b.app.request("/api/wallet", key)).status).toBe(403);
    expect((await b.app.request(`/api/businesses/${owner.businessId}/payouts`, key)).status).toBe(403);
    const listedBusinesses = (await (await b.app.request("/api/businesses", key)).json()) as {
      businesses: Json[];
    };
    expect(listedBusinesses.businesses).toEqual([expect.objectContaining({ id: owner.businessId })]);

    const listed = await a.app.request(`/api/businesses/${owner.businessId}/api-keys`, bearer(owner.token));
    const text = await listed.text();
    expect(text).not.toContain(secret);
    const used = (JSON.parse(text) as { apiKeys: Json[] }).apiKeys.find((k) => k.id === body.apiKey.id);
    expect(used?.lastUsedAt).toEqual(expect.any(String));

    const rows = await opened.database.orm.em.fork().execute("select * from api_keys");
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect([...a.logLines(), ...b.logLines()].join("\n")).not.toContain(secret);
    // Every request line names the key by its id.
    expect(b.logLines().some((line) => line.includes(`"apiKeyId":"${String(body.apiKey.id)}"`))).toBe(true);
  });

  it("takes scopes: a payouts:read key reads payouts and nothing it was not given; an unknown scope is 400", async () => {
    const { body } = await createKey({ name: "Accounts", scopes: ["payouts:read"] });
    expect(
      (await b.app.request(`/api/businesses/${owner.businessId}/payouts`, bearer(body.secret))).status,
    ).toBe(200);
    expect(
      (await b.app.request(`/api/businesses/${owner.businessId}/products`, bearer(body.secret))).status,
    ).toBe(403);
    const unknown = await createKey({ name: "Bad", scopes: ["payouts:read", "members:write"] });
    expect(unknown.status).toBe(400);
  });

  it("refunds need the refunds:write scope: the default key may not, a refunds:write key may", async () => {
    const plain = await createKey({ name: "Till" });
    const refused = await b.app.request(
      `/api/sales/${paidSaleId}/refund`,
      jsonRequest("POST", {}, plain.body.secret),
    );
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Json).code).toBe("forbidden");
    const refunds = await createKey({ name: "Back office", scopes: ["refunds:write"] });
    const allowed = await b.app.request(
      `/api/sales/${paidSaleId}/refund`,
      jsonRequest("POST", {}, refunds.body.secret),
    );
    // Allowed; the config has no initiator, so nothing is sent.
    expect(((await allowed.json()) as Json).code).toBe("initiator_missing");
  });

  it("refuses bad keys with 401, never 500; a revoked key stops at once on the other instance", async () => {
    const { body } = await createKey({ name: "Short-lived" });
    const secret = body.secret;
    const random = `sk_test_${"Z".repeat(43)}`;
    for (const bad of [
      "sk_test_short",
      `${secret}x`,
      random,
      `sk_live_${secret.slice(8)}`,
      `sk_test_${secret.slice(8, 20)}${"0".repeat(31)}`,
      "sk_",
      `sk_test_${"é".repeat(43)}`,
    ]) {
      const response = await b.app.request(`/api/businesses/${owner.businessId}/products`, bearer(bad));
      expect(response.status, bad).toBe(401);
    }
    expect((await b.app.request(`/api/businesses/${owner.businessId}/products`, bearer(secret))).status).toBe(
      200,
    );
    const revoked = await a.app.request(
      `/api/businesses/${owner.businessId}/api-keys/${String(body.apiKey.id)}`,
      {
        method: "DELETE",
        ...bearer(owner.token),
      },
    );
    expect(revoked.status).toBe(204);
    expect((await b.app.request(`/api/businesses/${owner.businessId}/products`, bearer(secret))).status).toBe(
      401,
    );
  });
});

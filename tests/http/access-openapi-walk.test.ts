import { beforeAll, describe, expect, it } from "vitest";
import { bearer, jsonRequest, signUpThroughApi, testApp } from "../support/test-app.ts";

type Operation = { security?: Record<string, string[]>[]; "x-permission"?: string };
type Document = { paths: Record<string, Record<string, Operation>> };

/**
 * What the contract's roles table lets a cashier do ("charge customers, read products, sales and C2B payments;
 * nothing else"), plus what every signed-in user may do with their own account. Written out here, from the
 * contract, and not read from the document: a route that declared a wrong permission would otherwise pass.
 */
const CASHIER_MAY = [
  /^GET \/auth\/me$/,
  /^POST \/auth\/(sign-out|change-password)$/,
  /^(GET|POST) \/api\/businesses$/,
  /^GET \/api\/businesses\/\{businessId\}$/,
  /^GET \/api\/businesses\/\{businessId\}\/products$/,
  /^GET \/api\/businesses\/\{businessId\}\/sales(\/export\.csv)?$/,
  /^GET \/api\/businesses\/\{businessId\}\/c2b-payments$/,
  /^POST \/api\/sales\/payment$/,
  /^GET \/api\/sales\/\{[A-Za-z]+\}$/,
  /^GET \/api\/c2b-payments\/\{[A-Za-z]+\}$/,
  // Reading a refund is reading sales; asking for one is not a cashier's.
  /^GET \/api\/refunds\/\{[A-Za-z]+\}$/,
  /^(GET|POST) \/api\/wallet/,
  /^POST \/api\/invitations\/\{token\}\/accept$/,
];

/** What a key with the default scopes (sales:read, sales:write, products:read, c2b:read) may do. */
const DEFAULT_KEY_MAY = [
  /^GET \/api\/businesses$/,
  /^GET \/api\/businesses\/\{businessId\}$/,
  /^GET \/api\/businesses\/\{businessId\}\/products$/,
  /^GET \/api\/businesses\/\{businessId\}\/sales(\/export\.csv)?$/,
  /^GET \/api\/businesses\/\{businessId\}\/c2b-payments$/,
  /^POST \/api\/sales\/payment$/,
  /^GET \/api\/sales\/\{[A-Za-z]+\}$/,
  /^GET \/api\/c2b-payments\/\{[A-Za-z]+\}$/,
  /^GET \/api\/refunds\/\{[A-Za-z]+\}$/,
];

/** Routes a key may never use, whatever its scopes (contract: members, API keys, configs; and the wallet). */
const NEVER_FOR_KEYS =
  /\/members|\/invitations|\/api-keys|\/payment-config|\/payout-config|\/wallet|^\/auth\//;

const RANDOM_ID = "01900000-0000-7000-8000-000000000000";

describe("the roles table, walked over the whole OpenAPI document", () => {
  const { app } = testApp();
  let document: Document;
  let businessId: string;
  let cashierToken: string;
  let keySecret: string;

  beforeAll(async () => {
    document = (await (await app.request("/openapi.json")).json()) as Document;
    const owner = await signUpThroughApi(app);
    businessId = owner.businessId;
    // The cashier joins by invitation, so they belong to this business only (as a cashier).
    const email = `cashier-${Date.now()}@example.com`;
    const invited = await app.request(
      `/api/businesses/${businessId}/members`,
      jsonRequest("POST", { email, role: "cashier" }, owner.token),
    );
    expect(invited.status).toBe(201);
    const { inviteUrl } = (await invited.json()) as { inviteUrl: string };
    const invitation = new URL(inviteUrl).searchParams.get("invitation");
    const cashier = await app.request(
      "/auth/sign-up",
      jsonRequest("POST", { email, password: "a-long-enough-password", name: "Till Cashier", invitation }),
    );
    expect(cashier.status).toBe(201);
    cashierToken = ((await cashier.json()) as { token: string }).token;
    const key = await app.request(
      `/api/businesses/${businessId}/api-keys`,
      jsonRequest("POST", { name: "Till app" }, owner.token),
    );
    expect(key.status).toBe(201);
    keySecret = ((await key.json()) as { secret: string }).secret;
  });

  /** Every operation behind the bearer token, with its path's parameters filled in; signing out comes last. */
  const bearerOperations = () =>
    Object.entries(document.paths)
      .sort(([a], [b]) => Number(a === "/auth/sign-out") - Number(b === "/auth/sign-out"))
      .flatMap(([path, operations]) =>
        Object.entries(operations)
          .filter(([, operation]) => operation.security?.some((s) => "bearerAuth" in s) === true)
          .map(([method, operation]) => ({
            name: `${method.toUpperCase()} ${path}`,
            method: method.toUpperCase(),
            url: path.replace("{businessId}", businessId).replace(/\{[A-Za-z]+\}/g, RANDOM_ID),
            operation,
          })),
      );

  const call = (op: { method: string; url: string }, token: string) =>
    app.request(
      op.url,
      op.method === "GET" || op.method === "DELETE"
        ? { method: op.method, ...bearer(token) }
        : jsonRequest(op.method, {}, token),
    );

  it("answers a cashier 403 on every operation the contract does not give them, and never 403 on those it does", async () => {
    const operations = bearerOperations();
    expect(operations.length).toBeGreaterThan(25);
    const wrong: string[] = [];
    let refused = 0;
    for (const op of operations) {
      const status = (await call(op, cashierToken)).status;
      const allowed = CASHIER_MAY.some((rule) => rule.test(op.name));
      if (allowed ? status === 403 || status === 401 : status !== 403) {
        wrong.push(`${op.name} → ${status} (cashier ${allowed ? "may" : "may not"})`);
      }
      refused += status === 403 ? 1 : 0;
    }
    expect(wrong).toEqual([]);
    expect(refused).toBeGreaterThan(15);
  });

  it("answers an API key 403 on members, keys, configs and the wallet, and outside its default scopes", async () => {
    const wrong: string[] = [];
    for (const op of bearerOperations()) {
      const status = (await call(op, keySecret)).status;
      const path = op.name.split(" ")[1] ?? "";
      const allowed = DEFAULT_KEY_MAY.some((rule) => rule.test(op.name)) && !NEVER_FOR_KEYS.test(path);
      if (allowed ? status === 403 || status === 401 : status !== 403) {
        wrong.push(`${op.name} → ${status} (a default key ${allowed ? "may" : "may not"})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("declares both security schemes and each operation's permission, roles and scopes", async () => {
    const schemes = (document as unknown as { components: { securitySchemes: Record<string, unknown> } })
      .components.securitySchemes;
    expect(Object.keys(schemes)).toEqual(expect.arrayContaining(["bearerAuth", "apiKey"]));
    for (const op of bearerOperations()) {
      expect(op.operation["x-permission"], op.name).toEqual(expect.any(String));
    }
    const charge = document.paths["/api/sales/payment"]?.post as Operation & { "x-scopes"?: string[] };
    expect(charge["x-scopes"]).toEqual(["sales:write"]);
    expect(charge.security).toEqual([{ bearerAuth: [] }, { apiKey: ["sales:write"] }]);
    const members = document.paths["/api/businesses/{businessId}/members"]?.get as Operation & {
      "x-scopes"?: string[];
    };
    expect(members.security).toEqual([{ bearerAuth: [] }]);
    expect(members["x-scopes"]).toBeUndefined();
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PollingResultWaiter } from "../../src/adapters/background/polling-result-waiter.ts";
import type {
  DarajaSimulator,
  ListeningSimulator,
} from "../../src/adapters/daraja-simulator/daraja-simulator.ts";
import {
  SANDBOX_INITIATOR_NAME,
  SANDBOX_INITIATOR_PASSWORD,
} from "../../src/adapters/daraja-simulator/simulator-credentials.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { PORTS, resolve, SERVICES } from "../../src/main/tokens.ts";
import { sample } from "../daraja/daraja-test-kit.ts";
import {
  eventually,
  type RunningPayMe,
  startPayMe,
  startSimulator,
  verifiedConfig,
} from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi } from "../support/test-app.ts";
import { openTestDatabase } from "../support/test-database.ts";
import { WebClient } from "../support/web-client.ts";

type Json = Record<string, unknown>;
type Person = Awaited<ReturnType<typeof signUpThroughApi>>;
type Query = { id: string; status: string; resultCode?: string; failureReason?: string } & Json;

/**
 * Two PayMe instances on one database and one simulator, as behind a load balancer. Daraja calls back only
 * `first` (both give its URL): a look-up asked of `second` is answered by a callback that lands on the other
 * instance. `second` waits at most 800 ms, so that the 202 path is reached without a 10-second wait.
 */
let opened: { database: Database; drop: () => Promise<void> };
let sim: { simulator: DarajaSimulator; listening: ListeningSimulator };
let first: RunningPayMe;
let second: RunningPayMe;
let owner: Person & { shortcode: string };
let shortcode = 600_700;

const get = (payme: RunningPayMe, path: string, token: string) => payme.app.request(path, bearer(token));
const json = async (response: Response) => (await response.json()) as Json;

/** A paybill business with a verified config (a paid KES 1 prompt), its initiator the sandbox's unless told. */
async function shop(options: { initiator?: boolean } = {}): Promise<Person & { shortcode: string }> {
  shortcode += 1;
  const person = await signUpThroughApi(first.app, { businessName: `Duka ${shortcode}` });
  await verifiedConfig(first, person.token, {
    businessId: person.businessId,
    paymentMethod: "paybill",
    shortcode: String(shortcode),
    passkey: "pk",
    accountReference: "DUKA",
    accountName: "Duka",
    ...(options.initiator === false
      ? {}
      : { initiatorName: SANDBOX_INITIATOR_NAME, initiatorPassword: SANDBOX_INITIATOR_PASSWORD }),
  });
  return { ...person, shortcode: String(shortcode) };
}

/** A sale of `amount` paid by STK push; answers its receipt. */
async function paidSale(person: Person, amount: number): Promise<string> {
  const charged = await first.app.request(
    "/api/sales/payment",
    jsonRequest("POST", { businessId: person.businessId, phone: "0712345678", amount }, person.token),
  );
  expect(charged.status).toBe(202);
  const { sale } = (await charged.json()) as { sale: { id: string } };
  return eventually(async () => {
    const current = (await json(await get(first, `/api/sales/${sale.id}`, person.token))).sale as Json;
    return current.status === "paid" ? String(current.mpesaReceipt) : undefined;
  });
}

/** Signs a person in through the sign-in page, as a browser. */
async function signIn(browser: WebClient, person: Person): Promise<void> {
  const answer = await browser.post("/sign-in", { email: person.email, password: person.password });
  expect(answer.status).toBe(303);
}

beforeAll(async () => {
  opened = await openTestDatabase();
  sim = await startSimulator({ delayMs: 50 });
  // Many prompts to one test phone: the push limits would refuse them.
  const env = { PUSHES_PER_PHONE: "1000", BUSINESS_PUSHES_PER_MINUTE: "1000" };
  first = await startPayMe({ database: opened.database, simulatorUrl: sim.listening.url, env });
  second = await startPayMe({
    database: opened.database,
    simulatorUrl: sim.listening.url,
    env: { ...env, MPESA_CALLBACK_URL: `${first.baseUrl}/api/mpesa/callback` },
    override: (c) =>
      c.register(PORTS.resultWaiter, {
        useFactory: (container) =>
          new PollingResultWaiter({
            timeoutMs: 800,
            intervalMs: 50,
            maxWaiting: 10,
            signal: resolve(container, SERVICES.shutdown).signal,
          }),
      }),
  });
  owner = await shop();
});

afterAll(async () => {
  await second?.stop();
  await first?.stop();
  await sim?.listening.close();
  await opened?.drop();
});

describe("transaction look-up and balance, on two instances sharing one database", () => {
  it("looks up a paid sale's receipt: 200 with the transaction as M-Pesa reports it", async () => {
    const receipt = await paidSale(owner, 250);
    const response = await get(
      first,
      `/api/businesses/${owner.businessId}/transactions/${receipt.toLowerCase()}`,
      owner.token,
    );
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.transaction).toMatchObject({
      receipt,
      status: "Completed",
      amount: 250,
      debitParty: "254712345678 - SIMULATED CUSTOMER",
      creditParty: `${owner.shortcode} - Simulated Shop`,
      reasonType: "Pay Bill Online",
    });
    expect(String((body.transaction as Json).completedAt)).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(body.statusQuery).toMatchObject({ receipt, status: "completed", resultCode: "0" });
    // Asked of M-Pesa with the payment config's initiator, about the business's own shortcode, by receipt.
    const statusBody = sim.simulator
      .callbacks()
      .filter((c) => c.kind === "status_result")
      .at(-1);
    expect(statusBody?.url).toMatch(/\/api\/mpesa\/status\/result\/[^/]+$/);
  });

  it("shows the balance as the simulated payments moved it: 200 with each account's figures as strings", async () => {
    const person = await shop();
    await paidSale(person, 300);
    const response = await get(first, `/api/businesses/${person.businessId}/balance`, person.token);
    expect(response.status).toBe(200);
    const { balance, balanceQuery } = (await response.json()) as {
      balance: { shortcode: string; accounts: Json[]; at: string };
      balanceQuery: Query;
    };
    expect(balance.shortcode).toBe(person.shortcode);
    // The KES 1 verification prompt and the sale.
    expect(balance.accounts.find((a) => a.name === "Utility Account")).toEqual({
      name: "Utility Account",
      currency: "KES",
      available: "301.00",
      reserved: "0.00",
      uncleared: "0.00",
      total: "301.00",
    });
    expect(balance.accounts.map((a) => a.name)).toContain("Working Account");
    expect(balanceQuery).toMatchObject({ status: "completed", shortcode: person.shortcode });
    const again = await get(first, `/api/balance-queries/${balanceQuery.id}`, person.token);
    expect(((await again.json()) as { balanceQuery: Json }).balanceQuery).toMatchObject({
      id: balanceQuery.id,
      status: "completed",
      balance,
    });
  });

  it("an unknown receipt is a failed query with M-Pesa's reason, and no transaction", async () => {
    const response = await get(
      first,
      `/api/businesses/${owner.businessId}/transactions/QQQ0NOTHERE`,
      owner.token,
    );
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.transaction).toBeUndefined();
    expect(body.statusQuery).toMatchObject({
      receipt: "QQQ0NOTHERE",
      status: "failed",
      resultCode: "2032",
      failureReason: "The transaction does not exist.",
    });
  });

  it("another business's receipt is not found from this business's shortcode", async () => {
    const other = await shop();
    const receipt = await paidSale(other, 120);
    const response = await get(
      first,
      `/api/businesses/${owner.businessId}/transactions/${receipt}`,
      owner.token,
    );
    expect((await json(response)).statusQuery).toMatchObject({ status: "failed", resultCode: "2032" });
  });

  it("asked of one instance, answered by a callback that lands on the other: still 200", async () => {
    const receipt = await paidSale(owner, 75);
    const response = await get(
      second,
      `/api/businesses/${owner.businessId}/transactions/${receipt}`,
      owner.token,
    );
    expect(response.status).toBe(200);
    expect((await json(response)).transaction).toMatchObject({ receipt, amount: 75 });
  });

  it("answers 202 with a query when the result is late; the query shows it once it comes, on any instance", async () => {
    sim.simulator.injectFault({ api: "account_balance", callback: { delayMs: 1_500 } });
    const response = await get(second, `/api/businesses/${owner.businessId}/balance`, owner.token);
    expect(response.status).toBe(202);
    const { balanceQuery } = (await response.json()) as { balanceQuery: Query };
    expect(balanceQuery).toMatchObject({ status: "pending", shortcode: owner.shortcode });
    expect(balanceQuery.balance).toBeUndefined();
    const settled = await eventually(async () => {
      const now = (await json(await get(first, `/api/balance-queries/${balanceQuery.id}`, owner.token)))
        .balanceQuery as Query;
      return now.status === "pending" ? undefined : now;
    });
    expect(settled).toMatchObject({ status: "completed", id: balanceQuery.id });
    // A status query's id is not a balance query's.
    expect((await get(first, `/api/status-queries/${balanceQuery.id}`, owner.token)).status).toBe(404);
  });

  it("a queue timeout fails the query with a reason to ask again", async () => {
    sim.simulator.injectFault({ api: "transaction_status", callback: { queueTimeout: true } });
    const response = await get(
      first,
      `/api/businesses/${owner.businessId}/transactions/QQQ0TIMEOUT`,
      owner.token,
    );
    expect(response.status).toBe(200);
    expect((await json(response)).statusQuery).toMatchObject({
      status: "failed",
      failureReason: "M-Pesa's queue timed out before answering. Ask again.",
    });
  });

  it("an initiator M-Pesa does not accept fails the balance query with 2001", async () => {
    const person = await signUpThroughApi(first.app, { businessName: "Wrong operator" });
    shortcode += 1;
    await verifiedConfig(first, person.token, {
      businessId: person.businessId,
      paymentMethod: "paybill",
      shortcode: String(shortcode),
      passkey: "pk",
      accountReference: "DUKA",
      accountName: "Duka",
      initiatorName: SANDBOX_INITIATOR_NAME,
      initiatorPassword: "not-the-password",
    });
    const response = await get(first, `/api/businesses/${person.businessId}/balance`, person.token);
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.balance).toBeUndefined();
    expect(body.balanceQuery).toMatchObject({ status: "failed", resultCode: "2001" });
  });

  it("without an initiator: 422 initiator_missing; without a payment config: 422 payment_config_missing; Daraja never asked", async () => {
    const before = sim.simulator.stats().requests;
    const noInitiator = await shop({ initiator: false });
    for (const path of ["balance", "transactions/SBK4QUB1VA"]) {
      const response = await get(
        first,
        `/api/businesses/${noInitiator.businessId}/${path}`,
        noInitiator.token,
      );
      expect(response.status).toBe(422);
      expect((await json(response)).code).toBe("initiator_missing");
    }
    const noConfig = await signUpThroughApi(first.app);
    const response = await get(first, `/api/businesses/${noConfig.businessId}/balance`, noConfig.token);
    expect(response.status).toBe(422);
    expect((await json(response)).code).toBe("payment_config_missing");
    const after = sim.simulator.stats().requests;
    expect(after.account_balance).toBe(before.account_balance);
    expect(after.transaction_status).toBe(before.transaction_status);
  });

  it("refuses a malformed receipt with 400, and another business's query with 404", async () => {
    for (const receipt of ["abc", "SBK4QUB1VA-1", "S".repeat(21)]) {
      const response = await get(
        first,
        `/api/businesses/${owner.businessId}/transactions/${receipt}`,
        owner.token,
      );
      expect(response.status).toBe(400);
      expect((await json(response)).code).toBe("validation_failed");
    }
    const asked = await get(first, `/api/businesses/${owner.businessId}/balance`, owner.token);
    const { balanceQuery } = (await asked.json()) as { balanceQuery: Query };
    const stranger = await signUpThroughApi(first.app);
    const response = await get(first, `/api/balance-queries/${balanceQuery.id}`, stranger.token);
    expect(response.status).toBe(404);
    const theirs = await get(first, `/api/businesses/${owner.businessId}/balance`, stranger.token);
    expect(theirs.status).toBe(404);
  });

  it("roles: a manager may look up, a cashier and an API key may not", async () => {
    const manager = await signUpThroughApi(first.app);
    const cashier = await signUpThroughApi(first.app);
    for (const [person, role] of [
      [manager, "manager"],
      [cashier, "cashier"],
    ] as const) {
      const added = await first.app.request(
        `/api/businesses/${owner.businessId}/members`,
        jsonRequest("POST", { email: person.email, role }, owner.token),
      );
      expect(added.status).toBe(201);
    }
    expect((await get(first, `/api/businesses/${owner.businessId}/balance`, manager.token)).status).toBe(200);
    const refused = await get(first, `/api/businesses/${owner.businessId}/balance`, cashier.token);
    expect(refused.status).toBe(403);
    const key = await first.app.request(
      `/api/businesses/${owner.businessId}/api-keys`,
      jsonRequest(
        "POST",
        { name: "Till", scopes: ["sales:read", "payouts:read", "refunds:write"] },
        owner.token,
      ),
    );
    const { secret } = (await key.json()) as { secret: string };
    expect((await get(first, `/api/businesses/${owner.businessId}/balance`, secret)).status).toBe(403);
  });

  it("never shows the query's callback token", async () => {
    const response = await get(first, `/api/businesses/${owner.businessId}/balance`, owner.token);
    const text = await response.text();
    const url = sim.simulator
      .callbacks()
      .filter((c) => c.kind === "balance_result")
      .at(-1)?.url;
    const token = url?.split("/").at(-1);
    expect(token).toBeTruthy();
    expect(text).not.toContain(String(token));
    expect(text).not.toMatch(/token/i);
  });

  it("balance callbacks: malformed JSON or no result is 400, an unknown token is acknowledged and audited only", async () => {
    const post = (path: string, body: string) =>
      first.app.request(path, { method: "POST", body, headers: { "Content-Type": "application/json" } });
    expect((await post("/api/mpesa/balance/result/not-a-token", "{")).status).toBe(400);
    const notResult = await post("/api/mpesa/balance/result/not-a-token", JSON.stringify({ Body: {} }));
    expect(notResult.status).toBe(400);
    expect((await json(notResult)).code).toBe("validation_failed");
    const unknown = await post(
      "/api/mpesa/balance/result/not-a-token",
      JSON.stringify(sample("account_balance_result_2001_production_2020")),
    );
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ ResultCode: 0, ResultDesc: "Accepted" });
    const rows = await opened.database.orm.em
      .fork()
      .getConnection()
      .execute<{ trusted: boolean; disposition: string; path: string }[]>(
        "select trusted, disposition, path from mpesa_callbacks where kind = 'balance_result' and not trusted",
      );
    expect(rows).toContainEqual({
      trusted: false,
      disposition: "unknown_payment",
      path: "/api/mpesa/balance/result/[token]",
    });
  });

  it("the Till page shows the balance and looks a receipt up, without script; a cashier is refused it", async () => {
    const browser = new WebClient(first.app);
    await signIn(browser, owner);
    const receipt = await paidSale(owner, 90);
    const page = await browser.get(`/dashboard/till?business=${owner.businessId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Check the balance");
    expect(html).toContain('name="receipt"');
    const balance = await (
      await browser.get(`/dashboard/till?business=${owner.businessId}&check=balance`)
    ).text();
    expect(balance).toContain("Utility Account");
    expect(balance).toMatch(/KES \d+\.00/);
    const lookup = await (
      await browser.get(`/dashboard/till?business=${owner.businessId}&receipt=${receipt.toLowerCase()}`)
    ).text();
    expect(lookup).toContain(receipt);
    expect(lookup).toContain("Completed");
    expect(lookup).toContain("KES 90");
    const bad = await (
      await browser.get(`/dashboard/till?business=${owner.businessId}&receipt=%3Cscript%3E`)
    ).text();
    expect(bad).toContain("8 to 20 letters and digits");
    expect(bad).not.toContain("<SCRIPT>");
    expect(bad).toContain("&lt;SCRIPT&gt;");
    // The payouts page shows the same balance, asked by its own button.
    const payouts = await (await browser.get(`/payouts?business=${owner.businessId}`)).text();
    expect(payouts).toContain("Check the balance");
    expect(payouts).not.toContain("Utility Account");
    const payoutsBalance = await (
      await browser.get(`/payouts?business=${owner.businessId}&check=balance`)
    ).text();
    expect(payoutsBalance).toContain("Utility Account");
    expect(payoutsBalance).toMatch(/KES \d+\.00/);
    // The settings menu offers the page to those who may use it.
    expect(await (await browser.get(`/settings?business=${owner.businessId}`)).text()).toContain(
      "/dashboard/till",
    );

    const cashier = await signUpThroughApi(first.app);
    await first.app.request(
      `/api/businesses/${owner.businessId}/members`,
      jsonRequest("POST", { email: cashier.email, role: "cashier" }, owner.token),
    );
    const theirs = new WebClient(first.app);
    await signIn(theirs, cashier);
    expect((await theirs.get(`/dashboard/till?business=${owner.businessId}`)).status).toBe(403);
    expect(await (await theirs.get(`/payouts?business=${owner.businessId}`)).text()).not.toContain(
      "Check the balance",
    );
    expect(await (await theirs.get(`/settings?business=${owner.businessId}`)).text()).not.toContain(
      "/dashboard/till",
    );
  });

  it("once the server begins to shut down, a waiting look-up answers 202 at once", async () => {
    sim.simulator.injectFault({ api: "account_balance", callback: { delayMs: 3_000 } });
    const asked = sim.simulator.stats().requests.account_balance;
    const asking = get(first, `/api/businesses/${owner.businessId}/balance`, owner.token);
    // The first instance waits up to 10 s: only the shutdown can make it answer before the result comes.
    await eventually(async () => (sim.simulator.stats().requests.account_balance > asked ? true : undefined));
    resolve(first.container, SERVICES.shutdown).begin();
    const response = await asking;
    expect(response.status).toBe(202);
    expect(((await response.json()) as { balanceQuery: Query }).balanceQuery.status).toBe("pending");
  });
});

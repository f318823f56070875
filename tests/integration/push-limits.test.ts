import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpEnv } from "../../src/adapters/http/http-env.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import { Database } from "../../src/adapters/persistence/database.ts";
import { PORTS } from "../../src/main/tokens.ts";
import { type RunningPayMe, startPayMe, startSimulator } from "../support/payme-server.ts";
import { jsonRequest, signUpThroughApi } from "../support/test-app.ts";
import {
  explainSkipUnlessPostgres,
  onPostgres,
  openTestDatabase,
  type TestDatabaseKind,
  testDatabaseKinds,
} from "../support/test-database.ts";

type Owner = { token: string; userId: string; businessId: string };
type Problem = { code: string; detail: string };

const MINUTE = 60_000;

/** Small limits, so that a test reaches each of them in a few requests. */
const LIMITS = {
  PUSHES_PER_PHONE: "2",
  WALLET_PUSHES_PER_HOUR: "3",
  VERIFY_PUSHES_PER_HOUR: "2",
  BUSINESS_PUSHES_PER_MINUTE: "4",
  MAX_BUSINESSES_PER_USER: "2",
  ALLOW_UNVERIFIED_PAYMENT_CONFIG: "true",
};

let phoneCounter = 0;
/** A phone no other test prompts (the wallet's per-phone limit is shared by every user). */
const freshPhone = (): string => {
  phoneCounter += 1;
  return `0745${String(Math.floor(Math.random() * 1000)).padStart(3, "0")}${String(phoneCounter).padStart(3, "0")}`;
};

/** PayMe on `database`, whose clock the test moves, on the simulator at `simulatorUrl`. */
async function limitedPayMe(database: Database, simulatorUrl: string, clock: ManualClock, env = LIMITS) {
  return startPayMe({
    database,
    simulatorUrl,
    env,
    override: (container) => container.register(PORTS.clock, { useValue: clock }),
  });
}

function api(app: Hono<HttpEnv>) {
  const post = (path: string, token: string, body: unknown, key?: string) => {
    const init = jsonRequest("POST", body, token);
    if (key !== undefined) {
      (init.headers as Record<string, string>)["Idempotency-Key"] = key;
    }
    return app.request(path, init);
  };
  const get = async <T>(path: string, token: string): Promise<T> =>
    (await app.request(path, { headers: { Authorization: `Bearer ${token}` } })).json() as Promise<T>;
  /** A new user whose (unverified, allowed) till can charge customers. */
  const shop = async (): Promise<Owner> => {
    const owner = await signUpThroughApi(app, { businessName: "Duka" });
    const setUp = await post("/api/payment-config/setup", owner.token, {
      businessId: owner.businessId,
      paymentMethod: "till",
      shortcode: "5123456",
      accountName: "Duka",
      passkey: "a-passkey",
    });
    expect(setUp.status).toBe(201);
    return owner;
  };
  const sale = (owner: Owner, phone: string, extra: Record<string, unknown> = { amount: 20 }, key?: string) =>
    post("/api/sales/payment", owner.token, { businessId: owner.businessId, phone, ...extra }, key);
  const wallet = (owner: Owner, phone: string) =>
    post("/api/wallet-payment/initiate", owner.token, { phone, amount: 15 });
  const verify = (owner: Owner, phone: string) =>
    post("/api/payment-config/verify", owner.token, { businessId: owner.businessId, phone });
  const salesOf = async (owner: Owner) =>
    (await get<{ sales: unknown[] }>(`/api/businesses/${owner.businessId}/sales?limit=200`, owner.token))
      .sales.length;
  return { app, post, get, shop, sale, wallet, verify, salesOf };
}

/** A 429 push_rate_limited, with a Retry-After of at most `windowSeconds`; returns the problem. */
async function expectPushRateLimited(response: Response, windowSeconds: number): Promise<Problem> {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  const problem = (await response.json()) as Problem;
  expect(problem.code).toBe("push_rate_limited");
  return problem;
}

describe.each(testDatabaseKinds())("push limits on %s", (kind: TestDatabaseKind) => {
  const clock = new ManualClock(new Date());
  let stage: { payme: RunningPayMe; close: () => Promise<void> } | null = null;
  beforeAll(async () => {
    const { database, drop } = await openTestDatabase(kind);
    const { listening } = await startSimulator({ delayMs: 50 });
    const payme = await limitedPayMe(database, listening.url, clock);
    stage = {
      payme,
      close: async () => {
        await payme.stop();
        await listening.close();
        await drop();
      },
    };
  });
  afterAll(() => stage?.close());
  const client = () => {
    if (stage === null) {
      throw new Error("PayMe is not running yet");
    }
    return api(stage.payme.app);
  };

  it("prompts a phone at most PUSHES_PER_PHONE times in 3 minutes from one business; other businesses and the wallet still can", async () => {
    const { shop, sale, wallet, salesOf } = client();
    const [first, second] = [await shop(), await shop()];
    const phone = freshPhone();
    expect((await sale(first, phone)).status).toBe(202);
    expect((await sale(first, phone)).status).toBe(202);
    const refused = await expectPushRateLimited(await sale(first, phone), 180);
    expect(refused.detail).toContain("in the last 3 minutes");
    expect(await salesOf(first)).toBe(2);

    // One tenant cannot block a customer's phone for the others.
    expect((await sale(second, phone)).status).toBe(202);
    expect((await wallet(first, phone)).status).toBe(202);

    clock.advance(3 * MINUTE);
    expect((await sale(first, phone)).status).toBe(202);
  });

  it("refuses a push past a limit without reserving stock or storing a sale, and lets its Idempotency-Key be used again", async () => {
    const { post, get, shop, sale, salesOf } = client();
    const owner = await shop();
    const created = await post(`/api/businesses/${owner.businessId}/products`, owner.token, {
      name: "Unga",
      price: 120,
      stock: 5,
    });
    const { product } = (await created.json()) as { product: { id: string } };
    const items = { items: [{ productId: product.id, quantity: 1 }] };
    const stockOf = async () =>
      (
        await get<{ products: { id: string; stock: number; reserved: number }[] }>(
          `/api/businesses/${owner.businessId}/products`,
          owner.token,
        )
      ).products.find((p) => p.id === product.id);
    const phone = freshPhone();
    expect((await sale(owner, phone, items)).status).toBe(202);
    expect((await sale(owner, phone, items)).status).toBe(202);
    // Two units are held or sold (the simulator pays meanwhile); either way they left the sellable stock.
    expect((await stockOf())?.stock).toBe(3);

    await expectPushRateLimited(await sale(owner, phone, items, "retry-me"), 180);
    // The same key again is no replay of the refusal: the refusal saved nothing under it.
    const again = await sale(owner, phone, items, "retry-me");
    expect(again.headers.get("idempotent-replayed")).toBeNull();
    await expectPushRateLimited(again, 180);
    expect((await stockOf())?.stock).toBe(3);
    expect(await salesOf(owner)).toBe(2);

    clock.advance(3 * MINUTE);
    const admitted = await sale(owner, phone, items, "retry-me");
    expect(admitted.status).toBe(202);
    const replayed = await sale(owner, phone, items, "retry-me");
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(await salesOf(owner)).toBe(3);
  });

  it("lets a business send at most BUSINESS_PUSHES_PER_MINUTE prompts a minute, to any phones", async () => {
    const { shop, sale, verify } = client();
    const owner = await shop();
    for (let i = 0; i < 3; i += 1) {
      expect((await sale(owner, freshPhone())).status).toBe(202);
    }
    expect((await verify(owner, freshPhone())).status).toBe(202);
    const refused = await expectPushRateLimited(await sale(owner, freshPhone()), 60);
    expect(refused.detail).toContain("This business has sent 4 payment prompts in the last minute");
    clock.advance(MINUTE);
    expect((await sale(owner, freshPhone())).status).toBe(202);
  });

  it("lets a user buy tokens WALLET_PUSHES_PER_HOUR times and verify VERIFY_PUSHES_PER_HOUR times an hour", async () => {
    const { shop, wallet, verify } = client();
    const owner = await shop();
    for (let i = 0; i < 3; i += 1) {
      expect((await wallet(owner, freshPhone())).status).toBe(202);
    }
    await expectPushRateLimited(await wallet(owner, freshPhone()), 3600);
    // Another user is not held back.
    expect((await wallet(await shop(), freshPhone())).status).toBe(202);

    expect((await verify(owner, freshPhone())).status).toBe(202);
    expect((await verify(owner, freshPhone())).status).toBe(202);
    const refused = await expectPushRateLimited(await verify(owner, freshPhone()), 3600);
    expect(refused.detail).toContain("2 verification prompts in the last hour");

    clock.advance(60 * MINUTE);
    expect((await wallet(owner, freshPhone())).status).toBe(202);
    expect((await verify(owner, freshPhone())).status).toBe(202);
  });

  it("lets a user own at most MAX_BUSINESSES_PER_USER businesses", async () => {
    const { app, post, get } = client();
    const owner = await signUpThroughApi(app);
    expect((await post("/api/businesses", owner.token, { name: "Second" })).status).toBe(201);
    const refused = await post("/api/businesses", owner.token, { name: "Third" });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as Problem).code).toBe("business_limit_reached");
    expect((await get<{ businesses: unknown[] }>("/api/businesses", owner.token)).businesses).toHaveLength(2);
  });
});

explainSkipUnlessPostgres("concurrent requests racing for the last push on two instances");

describe.skipIf(!onPostgres())(
  "push limits under concurrency, on two instances of one PostgreSQL database",
  () => {
    const clock = new ManualClock(new Date());
    let stage: { instances: RunningPayMe[]; close: () => Promise<void> } | null = null;
    beforeAll(async () => {
      const { database, drop } = await openTestDatabase("postgres");
      const { listening } = await startSimulator({ delayMs: 50 });
      const url = database.target.kind === "postgres" ? database.target.url : "";
      const second = await Database.open({ kind: "postgres", url });
      const env = {
        ...LIMITS,
        PUSHES_PER_PHONE: "3",
        BUSINESS_PUSHES_PER_MINUTE: "1000",
        WALLET_PUSHES_PER_HOUR: "1000",
        MAX_BUSINESSES_PER_USER: "3",
      };
      const instances = [
        await limitedPayMe(database, listening.url, clock, env),
        await limitedPayMe(second, listening.url, clock, env),
      ];
      stage = {
        instances,
        close: async () => {
          for (const instance of instances) {
            await instance.stop();
          }
          await second.close();
          await listening.close();
          await drop();
        },
      };
    });
    afterAll(() => stage?.close());
    const clients = () => {
      if (stage === null) {
        throw new Error("PayMe is not running yet");
      }
      return stage.instances.map((instance) => api(instance.app));
    };
    const statuses = async (requests: (Response | Promise<Response>)[]) =>
      (await Promise.all(requests)).map((response) => response.status).sort();

    it("admits exactly PUSHES_PER_PHONE of many concurrent sales to one phone", async () => {
      const [a, b] = clients();
      if (a === undefined || b === undefined) {
        throw new Error("two instances expected");
      }
      const owner = await a.shop();
      const phone = freshPhone();
      const answered = await statuses(
        Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).sale(owner, phone)),
      );
      expect(answered).toEqual([...Array(3).fill(202), ...Array(9).fill(429)]);
      expect(await a.salesOf(owner)).toBe(3);
    });

    it("admits exactly PUSHES_PER_PHONE of many concurrent wallet pushes to one phone", async () => {
      const [a, b] = clients();
      if (a === undefined || b === undefined) {
        throw new Error("two instances expected");
      }
      const owner = await a.shop();
      const phone = freshPhone();
      const answered = await statuses(
        Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).wallet(owner, phone)),
      );
      expect(answered).toEqual([...Array(3).fill(202), ...Array(9).fill(429)]);
    });

    it("creates exactly MAX_BUSINESSES_PER_USER businesses from many concurrent requests", async () => {
      const [a, b] = clients();
      if (a === undefined || b === undefined) {
        throw new Error("two instances expected");
      }
      const owner = await a.shop();
      const answered = await statuses(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? a : b).post("/api/businesses", owner.token, { name: `Branch ${i}` }),
        ),
      );
      // Sign-up made the first; two more fit under the limit of three.
      expect(answered).toEqual([...Array(2).fill(201), ...Array(8).fill(422)]);
      expect(
        (await a.get<{ businesses: unknown[] }>("/api/businesses", owner.token)).businesses,
      ).toHaveLength(3);
    });
  },
);

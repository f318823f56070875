import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { PORTS, resolve } from "../../src/main/tokens.ts";
import { bearer, jsonRequest, signUpThroughApi, type TestApp, testApp } from "../support/test-app.ts";
import {
  explainSkipUnlessPostgres,
  onPostgres,
  openTestDatabase,
  type TestDatabaseKind,
  testDatabaseKinds,
} from "../support/test-database.ts";

const LIMITS = {
  TRUST_PROXY: "true",
  AUTH_RATE_LIMIT_PER_ADDRESS: "1000",
  AUTH_RATE_LIMIT_PER_ACCOUNT_ADDRESS: "10",
  AUTH_RATE_LIMIT_PER_ACCOUNT: "100",
};

/** Two PayMe instances on one database, as behind a load balancer: nothing but the database is shared. */
function twoInstances(kind: TestDatabaseKind) {
  let opened: { database: Database; drop: () => Promise<void> } | null = null;
  let apps: [TestApp, TestApp] | null = null;
  beforeAll(async () => {
    opened = await openTestDatabase(kind);
    const database = opened.database;
    apps = [testApp({ database, env: LIMITS }), testApp({ database, env: LIMITS })];
  });
  afterAll(async () => {
    await opened?.drop();
  });
  return {
    get a() {
      if (apps === null) {
        throw new Error("not started");
      }
      return apps[0].app;
    },
    get b() {
      if (apps === null) {
        throw new Error("not started");
      }
      return apps[1].app;
    },
    get database() {
      if (opened === null) {
        throw new Error("not started");
      }
      return opened.database;
    },
    get container() {
      if (apps === null) {
        throw new Error("not started");
      }
      return apps[0].container;
    },
  };
}

const signIn = (app: TestApp["app"], body: { email: string; password: string }, forwardedFor: string) =>
  Promise.resolve(
    app.request("/auth/sign-in", {
      ...jsonRequest("POST", body),
      headers: { "Content-Type": "application/json", "X-Forwarded-For": forwardedFor },
    }),
  );

describe.each(testDatabaseKinds())("tokens and sign-in limits shared through the database, on %s", (kind) => {
  const cluster = twoInstances(kind);

  it("refuses a token signed out on one instance at the very next request on the other", async () => {
    const person = await signUpThroughApi(cluster.a);
    expect((await cluster.b.request("/auth/me", bearer(person.token))).status).toBe(200);
    expect(
      (await cluster.a.request("/auth/sign-out", { method: "POST", ...bearer(person.token) })).status,
    ).toBe(204);
    expect((await cluster.b.request("/auth/me", bearer(person.token))).status).toBe(401);
    expect((await cluster.b.request("/api/businesses", bearer(person.token))).status).toBe(401);
  });

  it("refuses every earlier token on every instance after a password change on one", async () => {
    const person = await signUpThroughApi(cluster.a);
    const changed = await cluster.b.request(
      "/auth/change-password",
      jsonRequest(
        "POST",
        { currentPassword: person.password, newPassword: "sukuma-wiki-na-ugali-2026" },
        person.token,
      ),
    );
    expect(changed.status).toBe(200);
    const { token } = (await changed.json()) as { token: string };
    expect((await cluster.a.request("/auth/me", bearer(person.token))).status).toBe(401);
    expect((await cluster.a.request("/auth/me", bearer(token))).status).toBe(200);
    const again = await signIn(
      cluster.a,
      { email: person.email, password: "sukuma-wiki-na-ugali-2026" },
      "198.51.100.1",
    );
    expect(again.status).toBe(200);
  });

  it("counts failures on one instance against attempts on the other", async () => {
    const person = await signUpThroughApi(cluster.a);
    const wrong = { email: person.email, password: "not-the-password" };
    for (let i = 0; i < 5; i += 1) {
      expect((await signIn(cluster.a, wrong, "203.0.113.70")).status).toBe(401);
      expect((await signIn(cluster.b, wrong, "203.0.113.70")).status).toBe(401);
    }
    expect((await signIn(cluster.b, wrong, "203.0.113.70")).status).toBe(429);
    expect(
      (await signIn(cluster.a, { email: person.email, password: person.password }, "203.0.113.70")).status,
    ).toBe(429);
    expect(
      (await signIn(cluster.b, { email: person.email, password: person.password }, "203.0.113.71")).status,
    ).toBe(200);
  });

  it("holds a client to the per-address limit whatever it writes in front of the proxy's X-Forwarded-For value", async () => {
    const env = { ...LIMITS, AUTH_RATE_LIMIT_PER_ADDRESS: "3" };
    const [a, b] = [
      testApp({ database: cluster.database, env }).app,
      testApp({ database: cluster.database, env }).app,
    ];
    const statuses = [];
    for (let i = 0; i < 6; i += 1) {
      const answer = await signIn(
        i % 2 === 0 ? a : b,
        { email: `spray-${i}@example.com`, password: "whatever-password" },
        `10.66.${i}.1, 203.0.113.73`,
      );
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
  });

  it("keeps the counts in the migrated rate_limits table, under digests: no email or address in it", async () => {
    const person = await signUpThroughApi(cluster.a);
    await signIn(cluster.a, { email: person.email, password: "not-the-password" }, "203.0.113.72");
    const rows = await cluster.database.orm.em
      .fork()
      .getConnection()
      .execute<{ key: string; points: number; expire: string | number | null }[]>(
        `select "key", "points", "expire" from "rate_limits"`,
      );
    expect(rows.length).toBeGreaterThan(0);
    const keys = rows.map((row) => row.key).join("\n");
    expect(keys).not.toContain(person.email);
    expect(keys).not.toContain("203.0.113.72");
    expect(rows.every((row) => row.key.length <= 255 && Number(row.expire) > Date.now())).toBe(true);
  });

  it("keeps an odd X-Forwarded-For value from overflowing the table: 8 KB of it is just another address", async () => {
    const response = await signIn(
      cluster.a,
      { email: "ghost@example.com", password: "whatever-password" },
      `${"x".repeat(8_000)}`,
    );
    expect(response.status).toBe(401);
  });

  it("forgets revoked tokens once they have expired", async () => {
    const person = await signUpThroughApi(cluster.a);
    await cluster.a.request("/auth/sign-out", { method: "POST", ...bearer(person.token) });
    const uow = resolve(cluster.container, PORTS.unitOfWork);
    expect(await uow.run((r) => r.users.purgeRevokedTokens(new Date()))).toBe(0);
    const purged = await uow.run((r) => r.users.purgeRevokedTokens(new Date(Date.now() + 2 * 86_400_000)));
    expect(purged).toBeGreaterThan(0);
  });
});

explainSkipUnlessPostgres("concurrent sign-in attempts against shared limits");

describe.skipIf(!onPostgres())("concurrent wrong passwords on PostgreSQL", () => {
  const cluster = twoInstances("postgres");

  it("lets no more of 40 concurrent wrong passwords, over two instances, reach the hasher than the limit", async () => {
    const person = await signUpThroughApi(cluster.a);
    const wrong = { email: person.email, password: "not-the-password" };
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        signIn(i % 2 === 0 ? cluster.a : cluster.b, wrong, "203.0.113.80"),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(30);
  });

  it("lets no more concurrent attempts from one address through than its limit, over two instances", async () => {
    const limited = openLimitedPair();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        signIn(
          i % 2 === 0 ? limited.a : limited.b,
          { email: `spray-${i}@example.com`, password: "whatever-password" },
          "203.0.113.81",
        ),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(25);
  });

  /** Two more instances on the same database, with a per-address limit of 5. */
  function openLimitedPair() {
    const env = { ...LIMITS, AUTH_RATE_LIMIT_PER_ADDRESS: "5" };
    return {
      a: testApp({ database: cluster.database, env }).app,
      b: testApp({ database: cluster.database, env }).app,
    };
  }
});

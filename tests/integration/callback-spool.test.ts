import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { MAX_REPLAY_FAILURES } from "../../src/adapters/spool/spool-replayer.ts";
import { resolve, SERVICES } from "../../src/main/tokens.ts";
import { eventually, startPayMe, startSimulator } from "../support/payme-server.ts";
import { poisonAuditTrail, poisonedCallback } from "../support/poisoned-callbacks.ts";
import { adminQuery } from "../support/postgres-admin.ts";
import { bearer, jsonRequest, signUpThroughApi, type TestApp, testApp } from "../support/test-app.ts";
import {
  explainSkipUnlessPostgres,
  onPostgres,
  openTestDatabase,
  testDatabaseKinds,
} from "../support/test-database.ts";

explainSkipUnlessPostgres("the database-outage spool (it cuts a real server's connections)");

describe.skipIf(!onPostgres())("callbacks while the database is unreachable", () => {
  it("are spooled to disk and answered 200, then applied exactly once when the database is back", async () => {
    const server = inject("testDatabase");
    if (server.kind !== "postgres") {
      throw new Error("PostgreSQL only");
    }
    const { database, drop } = await openTestDatabase();
    const { simulator, listening } = await startSimulator({ delayMs: 600_000 });
    const dataDir = mkdtempSync(join(tmpdir(), "payme-spool-"));
    const payme = await startPayMe({ database, simulatorUrl: listening.url, env: { DATA_DIR: dataDir } });
    const name = database.target.kind === "postgres" ? new URL(database.target.url).pathname.slice(1) : "";
    const cutOff = async (allowed: boolean) => {
      // ALLOW_CONNECTIONS holds even for superusers, unlike CONNECTION LIMIT.
      await adminQuery(server.adminUrl, `alter database "${name}" allow_connections ${allowed}`);
      if (!allowed) {
        await adminQuery(
          server.adminUrl,
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1",
          [name],
        );
      }
    };
    try {
      const user = await signUpThroughApi(payme.app);
      const { purchase } = (await (
        await payme.app.request(
          "/api/wallet-payment/initiate",
          jsonRequest("POST", { phone: "0712345678", amount: 60 }, user.token),
        )
      ).json()) as { purchase: { id: string; checkoutRequestId: string } };
      const callbackUrl = simulator.checkout(purchase.checkoutRequestId)?.callbackUrl ?? "";

      await cutOff(false);
      expect((await payme.app.request("/ready")).status).toBe(503);
      await simulator.settle(purchase.checkoutRequestId);
      const delivery = simulator.callbacks().at(-1);
      expect(delivery?.status).toBe(200);
      // The same callback once more, as Safaricom sometimes sends it: spooled too.
      const again = await fetch(callbackUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(delivery?.body),
      });
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ ResultCode: 0, ResultDesc: "Accepted" });
      const spool = resolve(payme.container, SERVICES.spool);
      expect(await spool.list({ limit: 10 })).toHaveLength(2);
      // While the database is away, a replay round tries nothing and loses nothing.
      expect(await resolve(payme.container, SERVICES.spoolReplayer).replay()).toEqual({
        replayed: 0,
        quarantined: 0,
        waiting: 2,
      });

      await cutOff(true);
      await eventually(async () => ((await payme.app.request("/ready")).status === 200 ? true : undefined));
      expect(await resolve(payme.container, SERVICES.spoolReplayer).replay()).toEqual({
        replayed: 2,
        quarantined: 0,
        waiting: 0,
      });
      expect(await spool.list({ limit: 10 })).toEqual([]);
      const { purchase: paid } = (await (
        await payme.app.request(`/api/wallet-payment/${purchase.id}`, bearer(user.token))
      ).json()) as {
        purchase: { status: string };
      };
      expect(paid.status).toBe("paid");
      const wallet = (await (await payme.app.request("/api/wallet", bearer(user.token))).json()) as {
        balance: number;
        transactions: unknown[];
      };
      expect([wallet.balance, wallet.transactions.length]).toEqual([60, 1]);
    } finally {
      await cutOff(true);
      await payme.stop();
      await listening.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** 43 characters, as the tokens PayMe issues. */
const TOKEN = "q3Yx0lB7m4Cw9pZs2Vd8Rk1Tn6Hj5Gf0Ea3Wb7Uc9Xo";

describe.each(testDatabaseKinds())("callbacks that fail while the database answers, on %s", (kind) => {
  let opened: { database: Database; drop: () => Promise<void> } | null = null;
  const dataDir = mkdtempSync(join(tmpdir(), "payme-quarantine-"));
  beforeAll(async () => {
    opened = await openTestDatabase(kind);
    await poisonAuditTrail(opened.database);
  });
  afterAll(async () => {
    await opened?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const appOn = (env: Record<string, string>) => {
    if (opened === null) {
      throw new Error("no database");
    }
    return testApp({ database: opened.database, env: { LOG_LEVEL: "debug", ...env } });
  };
  const post = (app: TestApp["app"], body: string) =>
    app.request(`/api/mpesa/callback/${TOKEN}`, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json" },
    });
  /** Error lines must never hold the statement, the callback's body or its token. */
  const expectNoLeak = (lines: string[], marker: string) => {
    const errors = lines.filter((line) => JSON.parse(line).level === "error");
    expect(errors.length).toBeGreaterThan(0);
    for (const line of errors) {
      expect(line).not.toMatch(/insert into|mpesa_callbacks" \(/i);
      expect(line).not.toContain(`BODY-MARKER-${marker}`);
    }
    expect(lines.join("\n")).not.toContain(TOKEN);
  };

  it("are spooled, replayed a round at a time, quarantined after 10 failures, logged once and counted", async () => {
    const directory = join(dataDir, "replays");
    const { app, container, logLines } = appOn({ DATA_DIR: directory });
    const answer = await post(app, poisonedCallback("q1"));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ResultCode: 0, ResultDesc: "Accepted" });
    const replayer = resolve(container, SERVICES.spoolReplayer);
    for (let round = 1; round < MAX_REPLAY_FAILURES; round += 1) {
      expect(await replayer.replay()).toEqual({ replayed: 0, quarantined: 0, waiting: 1 });
    }
    expect(await replayer.replay()).toEqual({ replayed: 0, quarantined: 1, waiting: 0 });
    expect(await replayer.replay()).toEqual({ replayed: 0, quarantined: 0, waiting: 0 });
    expect(readdirSync(join(directory, "spool", "quarantine"))).toHaveLength(1);

    const quarantined = logLines().filter((line) => line.includes("quarantined"));
    expect(quarantined).toHaveLength(1);
    expect(JSON.parse(quarantined[0] ?? "{}")).toMatchObject({
      level: "error",
      reason: "failing",
      path: "/api/mpesa/callback/[token]",
    });
    expectNoLeak(logLines(), "q1");
    const metrics = await (await app.request("/metrics")).text();
    expect(metrics).toContain('payme_spool_quarantined_total{reason="failing"} 1');
    expect(metrics).toContain('payme_spool_entries{state="quarantined"} 1');
    expect(metrics).toContain("payme_callbacks_spooled_total 1");
  });

  it("are answered 503 problem+json when the spool is full (SPOOL_MAX_MB), never 200", async () => {
    const directory = join(dataDir, "full");
    // What earlier outages left: a spool already at its 1 MB bound.
    mkdirSync(join(directory, "spool"), { recursive: true });
    const filler = "000000000000000-filler";
    writeFileSync(
      join(directory, "spool", `${filler}.json`),
      JSON.stringify({
        id: filler,
        receivedAt: "",
        method: "POST",
        path: "/",
        contentType: null,
        body: "x".repeat(1024 * 1024),
      }),
    );
    const { app, logLines } = appOn({ DATA_DIR: directory, SPOOL_MAX_MB: "1" });
    const answer = await post(app, poisonedCallback("f1"));
    expect(answer.status).toBe(503);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
    expect(answer.headers.get("retry-after")).toBe("60");
    expect(await answer.json()).toMatchObject({ status: 503, code: "busy" });
    expect(readdirSync(join(directory, "spool")).filter((name) => name.endsWith(".json"))).toEqual([
      `${filler}.json`,
    ]);
    const refused = logLines().filter((line) => line.includes("spool is full"));
    expect(refused).toHaveLength(1);
    expect(JSON.parse(refused[0] ?? "{}")).toMatchObject({
      level: "error",
      path: "/api/mpesa/callback/[token]",
    });
    expectNoLeak(logLines(), "f1");
    expect(await (await app.request("/metrics")).text()).toContain(
      'payme_spool_refused_total{reason="full"} 1',
    );
  });

  it("are answered 503 problem+json when the spool cannot be written, never 200", async () => {
    // DATA_DIR is a file: the spool's folder cannot be made.
    const directory = join(dataDir, "not-a-folder");
    writeFileSync(directory, "");
    const { app, logLines } = appOn({ DATA_DIR: directory });
    const answer = await post(app, poisonedCallback("w1"));
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ status: 503, code: "busy" });
    const refused = logLines().filter((line) => line.includes("nor spooled"));
    expect(refused).toHaveLength(1);
    expect(JSON.parse(refused[0] ?? "{}")).toMatchObject({ level: "error", err: { code: "ENOTDIR" } });
    expectNoLeak(logLines(), "w1");
    const metrics = await (await app.request("/metrics")).text();
    expect(metrics).toContain('payme_spool_refused_total{reason="unwritable"} 1');
  });
});

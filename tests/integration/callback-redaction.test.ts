import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ListeningSimulator } from "../../src/adapters/daraja-simulator/daraja-simulator.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { resolve, SERVICES } from "../../src/main/tokens.ts";
import { eventually, type RunningPayMe, startPayMe, startSimulator } from "../support/payme-server.ts";
import { poisonAuditTrail, poisonedCallback } from "../support/poisoned-callbacks.ts";
import { freePort } from "../support/server-process.ts";
import { bearer, jsonRequest, signUpThroughApi } from "../support/test-app.ts";
import { openTestDatabase, testDatabaseKinds } from "../support/test-database.ts";

/** Tokens as PayMe issues them: 43 characters of base64url. */
const FORGED = ["Fk2yQ8vN0pR5tW3xZ7bC1dE4gH6jK9mL0nP2qS5uV8w", "Ab3Cd5Ef7Gh9Ij1Kl3Mn5Op7Qr9St1Uv3Wx5Yz7Ab9C"];

const b2cResult = {
  Result: {
    ResultType: 0,
    ResultCode: 2001,
    ResultDesc: "The initiator information is invalid.",
    OriginatorConversationID: "bf47-4a79-a5e6-6bd68fe3b14e5682",
    ConversationID: "AG_20240706_2010364430d9bbdaf872",
    TransactionID: "UAV0000000",
  },
};

describe.each(testDatabaseKinds())("callback tokens on a custom MPESA_CALLBACK_URL path, on %s", (kind) => {
  let stage: {
    database: Database;
    drop: () => Promise<void>;
    listening: ListeningSimulator;
    payme: RunningPayMe;
    simulator: Awaited<ReturnType<typeof startSimulator>>["simulator"];
  } | null = null;
  const dataDir = mkdtempSync(join(tmpdir(), "payme-redaction-"));

  beforeAll(async () => {
    const { database, drop } = await openTestDatabase(kind);
    await poisonAuditTrail(database);
    const { simulator, listening } = await startSimulator({ delayMs: 600_000 });
    const port = await freePort();
    const payme = await startPayMe({
      database,
      simulatorUrl: listening.url,
      port,
      // An operator who keeps "mpesa" out of public URLs.
      env: { MPESA_CALLBACK_URL: `http://127.0.0.1:${port}/hooks/stk`, DATA_DIR: dataDir },
    });
    stage = { database, drop, listening, payme, simulator };
  });
  afterAll(async () => {
    await stage?.payme.stop();
    await stage?.listening.close();
    await stage?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const get = () => {
    if (stage === null) {
      throw new Error("not started");
    }
    return stage;
  };
  const post = (path: string, body: string) =>
    fetch(`${get().payme.baseUrl}${path}`, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json" },
    });

  it("are masked in every log line, stored path and problem, on every callback route", async () => {
    const { payme, simulator, database } = get();
    const user = await signUpThroughApi(payme.app);
    const initiated = await payme.app.request(
      "/api/wallet-payment/initiate",
      jsonRequest("POST", { phone: "0712345678", amount: 70 }, user.token),
    );
    const { purchase } = (await initiated.json()) as { purchase: { id: string; checkoutRequestId: string } };
    const callbackUrl = new URL(simulator.checkout(purchase.checkoutRequestId)?.callbackUrl ?? "");
    expect(callbackUrl.pathname).toMatch(/^\/hooks\/stk\/[A-Za-z0-9_-]{43}$/);
    const token = callbackUrl.pathname.split("/").at(-1) ?? "";
    const tokens = [token, ...FORGED];

    // Safaricom's callback, on the custom path, with the real token: applied.
    await simulator.settle(purchase.checkoutRequestId);
    await eventually(async () => {
      const response = await payme.app.request(`/api/wallet-payment/${purchase.id}`, bearer(user.token));
      const { purchase: current } = (await response.json()) as { purchase: { status: string } };
      return current.status === "paid" ? true : undefined;
    });

    // A forged token on the custom path, and on every fixed token route.
    expect(
      (await post(`/hooks/stk/${FORGED[0]}`, JSON.stringify(simulator.callbacks().at(-1)?.body))).status,
    ).toBe(200);
    for (const route of ["b2c/result", "b2c/timeout", "status/result", "status/timeout"]) {
      expect((await post(`/api/mpesa/${route}/${FORGED[1]}`, JSON.stringify(b2cResult))).status, route).toBe(
        200,
      );
    }

    // Wrong paths under the receiver: the problem names the path, token masked.
    for (const path of [`/hooks/stk/${token}/extra`, `/HOOKS/STK/${token}`]) {
      const missing = await post(path, "{}");
      expect(missing.status).toBe(404);
      const problem = (await missing.json()) as { detail: string; instance: string };
      expect(problem.instance).toMatch(/\[token\]/);
      expect(JSON.stringify(problem)).not.toContain(token);
    }
    // A malformed callback: a 400 problem, token masked.
    const malformed = await post(`/hooks/stk/${token}`, "{");
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { instance: string }).instance).toBe("/hooks/stk/[token]");

    // One that cannot be stored now: spooled, replayed until quarantined; every log line masks its token.
    expect((await post(`/hooks/stk/${FORGED[0]}`, poisonedCallback("r1"))).status).toBe(200);
    const replayer = resolve(payme.container, SERVICES.spoolReplayer);
    for (let round = 0; round < 10; round += 1) {
      await replayer.replay();
    }
    expect(payme.logLines().filter((line) => line.includes("quarantined"))).toHaveLength(1);

    const paths = (await database.orm.em
      .fork()
      .getConnection()
      .execute("select path from mpesa_callbacks order by received_at")) as { path: string }[];
    expect(new Set(paths.map((row) => row.path))).toEqual(
      new Set([
        "/hooks/stk/[token]",
        "/api/mpesa/b2c/result/[token]",
        "/api/mpesa/b2c/timeout/[token]",
        "/api/mpesa/status/result/[token]",
        "/api/mpesa/status/timeout/[token]",
      ]),
    );
    const logged = payme.logLines();
    expect(logged.filter((line) => line.includes("/hooks/stk/[token]")).length).toBeGreaterThan(5);
    for (const secret of tokens) {
      expect(logged.filter((line) => line.includes(secret))).toEqual([]);
    }
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { resolve, TOKENS } from "../../src/main/tokens.ts";
import { eventually, startPayMe, startSimulator } from "../support/payme-server.ts";
import { adminQuery } from "../support/postgres-admin.ts";
import { bearer, jsonRequest, signUpThroughApi } from "../support/test-app.ts";
import { explainSkipUnlessPostgres, onPostgres, openTestDatabase } from "../support/test-database.ts";

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
      const spool = resolve(payme.container, TOKENS.spool);
      expect(await spool.list()).toHaveLength(2);
      // While the database is away, a replay round tries nothing and loses nothing.
      expect(await resolve(payme.container, TOKENS.spoolReplayer).replay()).toEqual({
        replayed: 0,
        waiting: 2,
      });

      await cutOff(true);
      await eventually(async () => ((await payme.app.request("/ready")).status === 200 ? true : undefined));
      expect(await resolve(payme.container, TOKENS.spoolReplayer).replay()).toEqual({
        replayed: 2,
        waiting: 0,
      });
      expect(await spool.list()).toEqual([]);
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

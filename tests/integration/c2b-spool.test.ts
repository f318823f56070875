import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { resolve, SERVICES } from "../../src/main/tokens.ts";
import { sample } from "../daraja/daraja-test-kit.ts";
import { eventually, startPayMe, startSimulator, verifiedConfig } from "../support/payme-server.ts";
import { adminQuery } from "../support/postgres-admin.ts";
import { bearer, jsonRequest, signUpThroughApi } from "../support/test-app.ts";
import { explainSkipUnlessPostgres, onPostgres, openTestDatabase } from "../support/test-database.ts";

explainSkipUnlessPostgres("the C2B confirmations spool (it cuts a real server's connections)");

describe.skipIf(!onPostgres())("C2B confirmations while the database is unreachable", () => {
  it("are spooled and answered as Daraja expects, then recorded exactly once when the database is back", async () => {
    const server = inject("testDatabase");
    if (server.kind !== "postgres") {
      throw new Error("PostgreSQL only");
    }
    const { database, drop } = await openTestDatabase();
    const { simulator, listening } = await startSimulator({ delayMs: 20 });
    const dataDir = mkdtempSync(join(tmpdir(), "payme-c2b-spool-"));
    const payme = await startPayMe({ database, simulatorUrl: listening.url, env: { DATA_DIR: dataDir } });
    const name = database.target.kind === "postgres" ? new URL(database.target.url).pathname.slice(1) : "";
    const cutOff = async (allowed: boolean) => {
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
      const owner = await signUpThroughApi(payme.app);
      await verifiedConfig(payme, owner.token, {
        businessId: owner.businessId,
        paymentMethod: "paybill",
        shortcode: "600555",
        passkey: "pk",
        accountReference: "DUKA",
        accountName: "Duka",
      });
      const registered = await payme.app.request(
        `/api/businesses/${owner.businessId}/c2b/register`,
        jsonRequest("POST", {}, owner.token),
      );
      expect(registered.status).toBe(200);
      const url = simulator.c2bUrls("600555")?.confirmationUrl ?? "";
      const body = JSON.stringify({
        ...(sample("c2b_confirmation_v1_sandbox_2019") as object),
        BusinessShortCode: "600555",
      });

      await cutOff(false);
      for (let i = 0; i < 2; i++) {
        const answer = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body,
        });
        expect(answer.status).toBe(200);
        expect(await answer.json()).toEqual({ ResultCode: 0, ResultDesc: "Accepted" });
      }
      const spool = resolve(payme.container, SERVICES.spool);
      expect(await spool.list({ limit: 10 })).toHaveLength(2);

      await cutOff(true);
      await eventually(async () => ((await payme.app.request("/ready")).status === 200 ? true : undefined));
      expect(await resolve(payme.container, SERVICES.spoolReplayer).replay()).toMatchObject({
        replayed: 2,
        quarantined: 0,
      });
      const listed = await payme.app.request(
        `/api/businesses/${owner.businessId}/c2b-payments`,
        bearer(owner.token),
      );
      expect(((await listed.json()) as { totals: unknown }).totals).toEqual({ count: 1, amount: 3000 });
    } finally {
      await cutOff(true);
      await payme.stop();
      await listening.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

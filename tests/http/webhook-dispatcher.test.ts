import { describe, expect, it, vi } from "vitest";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { resolve, SERVICES } from "../../src/main/tokens.ts";
import { eventually } from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi, testApp } from "../support/test-app.ts";
import { openTestDatabase, testDatabaseKinds } from "../support/test-database.ts";
import { startWebhookReceiver } from "../support/webhook-receiver.ts";

describe.each(["in memory", ...testDatabaseKinds()] as const)(
  "the webhook dispatcher the server runs, %s",
  (kind) => {
    it("fans out and delivers in the background, counts attempts in /metrics, and stops", async () => {
      const opened = kind === "in memory" ? null : await openTestDatabase(kind);
      const database: Database | undefined = opened?.database;
      // On a database the queue is pg-boss: its maintenance starts with the dispatcher and stops with it.
      const maintenance = database && {
        start: vi.spyOn(database.webhookJobs, "start"),
        stop: vi.spyOn(database.webhookJobs, "stop"),
      };
      const payme = testApp({ env: { WEBHOOK_POLL_MS: "20" }, ...(database ? { database } : {}) });
      const receiver = await startWebhookReceiver();
      const dispatcher = resolve(payme.container, SERVICES.webhookDispatcher);
      try {
        const owner = await signUpThroughApi(payme.app);
        const created = await payme.app.request(
          `/api/businesses/${owner.businessId}/webhook-endpoints`,
          jsonRequest("POST", { url: receiver.url() }, owner.token),
        );
        const { endpoint } = (await created.json()) as { endpoint: { id: string } };
        dispatcher.start();
        const ping = await payme.app.request(
          `/api/businesses/${owner.businessId}/webhook-endpoints/${endpoint.id}/test`,
          jsonRequest("POST", {}, owner.token),
        );
        const { event } = (await ping.json()) as { event: { id: string } };
        await eventually(async () =>
          receiver.received.some((r) => r.headers["webhook-id"] === event.id) ? true : undefined,
        );
        const metrics = await eventually(async () => {
          const text = await (await payme.app.request("/metrics", bearer(owner.token))).text();
          return /payme_webhook_attempts_total\{outcome="delivered"\} 1/.test(text) ? text : undefined;
        });
        expect(metrics).toMatch(/payme_webhook_attempts_total\{outcome="failed"\} 0/);
        if (maintenance === undefined) {
          await dispatcher.stop();
        } else {
          expect(maintenance.start).toHaveBeenCalled();
          expect(maintenance.stop).not.toHaveBeenCalled();
          await dispatcher.stop();
          expect(maintenance.stop).toHaveBeenCalledTimes(1);
        }
      } finally {
        await dispatcher.stop();
        await receiver.close();
        await opened?.drop();
      }
    });
  },
);

import { describe, expect, it } from "vitest";
import { resolve, SERVICES } from "../../src/main/tokens.ts";
import { eventually } from "../support/payme-server.ts";
import { bearer, jsonRequest, signUpThroughApi, testApp } from "../support/test-app.ts";
import { startWebhookReceiver } from "../support/webhook-receiver.ts";

describe("the webhook dispatcher the server runs", () => {
  it("fans out and delivers in the background, counts attempts in /metrics, and stops", async () => {
    const payme = testApp({ env: { WEBHOOK_POLL_MS: "20" } });
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
    } finally {
      await dispatcher.stop();
      await receiver.close();
    }
  });
});

import { describe, expect, it } from "vitest";
import { DeliverWebhooks } from "../../src/application/webhooks/deliver-webhooks.ts";
import { resolve } from "../../src/main/tokens.ts";
import { jsonRequest, testApp } from "../support/test-app.ts";
import { WebClient } from "../support/web-client.ts";
import { startWebhookReceiver } from "../support/webhook-receiver.ts";

describe("the webhooks dashboard page", () => {
  it("lists endpoints with their last delivery and disabled reason, the event log, and resends an event", async () => {
    const payme = testApp();
    const receiver = await startWebhookReceiver();
    try {
      const browser = new WebClient(payme.app);
      const { businessId, csrf } = await browser.signUp();
      const jwt = (browser.cookie ?? "").split("=")[1] ?? "";
      const created = await payme.app.request(
        `/api/businesses/${businessId}/webhook-endpoints`,
        jsonRequest("POST", { url: receiver.url("/erp"), description: "Our ERP" }, jwt),
      );
      const { endpoint } = (await created.json()) as { endpoint: { id: string } };
      receiver.state.respond = (_r, response) => response.writeHead(503).end();
      const ping = await payme.app.request(
        `/api/businesses/${businessId}/webhook-endpoints/${endpoint.id}/test`,
        jsonRequest("POST", {}, jwt),
      );
      const { event } = (await ping.json()) as { event: { id: string } };
      await resolve(payme.container, DeliverWebhooks).execute({
        limit: 10,
        signal: new AbortController().signal,
      });

      const page = await browser.get(`/dashboard/webhooks?business=${businessId}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(receiver.url("/erp"));
      expect(html).toContain("Our ERP");
      expect(html).toContain("Failed (503)");
      expect(html).toContain(event.id);
      expect(html).toContain(`/dashboard/webhooks/events/${event.id}/resend`);

      receiver.state.respond = (_r, response) => response.writeHead(204).end();
      const resent = await browser.post(`/dashboard/webhooks/events/${event.id}/resend`, {
        _csrf: csrf,
        business: businessId,
      });
      expect(resent.status).toBe(303);
      expect(resent.headers.get("location")).toContain("resent=1");
      await resolve(payme.container, DeliverWebhooks).execute({
        limit: 10,
        signal: new AbortController().signal,
      });
      const after = await (await browser.get(`/dashboard/webhooks?business=${businessId}`)).text();
      expect(after).toContain("Delivered (204)");

      // Without the session's CSRF token nothing is resent.
      const forged = await browser.post(`/dashboard/webhooks/events/${event.id}/resend`, {
        business: businessId,
      });
      expect(forged.status).toBe(403);
      // Another person's browser sees nothing of it.
      const stranger = new WebClient(payme.app);
      const other = await stranger.signUp();
      const refused = await stranger.post(`/dashboard/webhooks/events/${event.id}/resend`, {
        _csrf: other.csrf,
        business: businessId,
      });
      expect(refused.status).toBe(404);
    } finally {
      await receiver.close();
    }
  });
});

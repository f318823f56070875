import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/adapters/persistence/database.ts";
import type { OutboxEvent } from "../../src/application/ports/outbox-repository.ts";
import { DeliverWebhooks } from "../../src/application/webhooks/deliver-webhooks.ts";
import { FanOutEvents } from "../../src/application/webhooks/fan-out-events.ts";
import { PORTS, resolve } from "../../src/main/tokens.ts";
import { bearer, jsonRequest, signUpThroughApi, type TestApp, testApp } from "../support/test-app.ts";
import { openTestDatabase, testDatabaseKinds } from "../support/test-database.ts";
import { startWebhookReceiver } from "../support/webhook-receiver.ts";

type Json = Record<string, unknown>;
type EndpointJson = { id: string; url: string; events: string[]; enabled: boolean } & Json;

describe.each(testDatabaseKinds())(
  "webhooks through the API, signed and verified with `standardwebhooks`, on %s",
  (kind) => {
    let database: Database;
    let drop: () => Promise<void>;
    let payme: TestApp;
    let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

    beforeAll(async () => {
      ({ database, drop } = await openTestDatabase(kind));
      payme = testApp({ database, env: { WEBHOOK_RETRY_SCHEDULE: "1,1" } });
      receiver = await startWebhookReceiver();
    });
    afterAll(async () => {
      await receiver.close();
      await drop();
    });

    const request = async (method: string, path: string, token: string, body?: unknown) => {
      const response = await payme.app.request(
        path,
        body === undefined ? { method, ...bearer(token) } : jsonRequest(method, body, token),
      );
      const text = await response.text();
      return { status: response.status, body: (text === "" ? {} : JSON.parse(text)) as Json };
    };
    /** One round of the queue, as the background dispatcher runs it. */
    const runQueue = async () => {
      await resolve(payme.container, FanOutEvents).execute({ limit: 100 });
      return resolve(payme.container, DeliverWebhooks).execute({
        limit: 100,
        signal: new AbortController().signal,
      });
    };
    const anEndpoint = async (token: string, businessId: string, body: Json = {}) => {
      const created = await request("POST", `/api/businesses/${businessId}/webhook-endpoints`, token, {
        url: receiver.url(),
        ...body,
      });
      expect(created.status).toBe(201);
      return created.body as { endpoint: EndpointJson; secret: string };
    };

    it("creates an endpoint with a whsec_ secret shown once, and stored sealed", async () => {
      const owner = await signUpThroughApi(payme.app);
      const { endpoint, secret } = await anEndpoint(owner.token, owner.businessId, { description: "ERP" });
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(Buffer.from(secret.slice("whsec_".length), "base64").length).toBeGreaterThanOrEqual(24);
      expect(endpoint).toMatchObject({
        businessId: owner.businessId,
        url: receiver.url(),
        events: ["*"],
        description: "ERP",
        enabled: true,
        disabledReason: null,
      });
      const listed = await request(
        "GET",
        `/api/businesses/${owner.businessId}/webhook-endpoints`,
        owner.token,
      );
      expect(listed.status).toBe(200);
      expect(JSON.stringify(listed.body)).not.toContain(secret.slice(6));
      const rows = await database.orm.em
        .fork()
        .getConnection()
        .execute<{ secret_sealed: string }[]>(
          `select "secret_sealed" from "webhook_endpoints" where "id" = ?`,
          [endpoint.id],
        );
      expect(rows[0]?.secret_sealed).toBeDefined();
      expect(rows[0]?.secret_sealed).not.toContain(secret.slice(6));
    });

    it("refuses bad URLs and events with 400, and another user's business with 404", async () => {
      const owner = await signUpThroughApi(payme.app);
      const path = `/api/businesses/${owner.businessId}/webhook-endpoints`;
      for (const url of [
        "not a url",
        "ftp://example.com/x",
        "https://user:pw@example.com/hooks",
        `https://example.com/${"a".repeat(2100)}`,
        42,
      ]) {
        const refused = await request("POST", path, owner.token, { url });
        expect(refused.status, String(url)).toBe(400);
        expect(refused.body).toMatchObject({ code: "validation_failed" });
      }
      expect(
        (await request("POST", path, owner.token, { url: receiver.url(), events: ["sale.exploded"] })).status,
      ).toBe(400);
      expect((await request("POST", path, owner.token, { url: receiver.url(), events: [] })).status).toBe(
        400,
      );
      const stranger = await signUpThroughApi(payme.app);
      expect((await request("POST", path, stranger.token, { url: receiver.url() })).status).toBe(404);
      expect((await request("GET", path, stranger.token)).status).toBe(404);
    });

    it("a test ping reaches the endpoint signed; `standardwebhooks` verifies it against the exact body", async () => {
      const owner = await signUpThroughApi(payme.app);
      const { endpoint, secret } = await anEndpoint(owner.token, owner.businessId);
      const ping = await request(
        "POST",
        `/api/businesses/${owner.businessId}/webhook-endpoints/${endpoint.id}/test`,
        owner.token,
      );
      expect(ping.status).toBe(202);
      const event = (ping.body as { event: { id: string; type: string } }).event;
      expect(event.type).toBe("ping");
      await runQueue();
      const got = receiver.received.filter((r) => r.headers["webhook-id"] === event.id);
      expect(got).toHaveLength(1);
      const verified = new Webhook(secret).verify(
        got[0]?.body ?? "",
        got[0]?.headers as Record<string, string>,
      );
      expect(verified).toEqual(event);
      // A wrong secret, or a changed body, does not verify.
      const other = `whsec_${Buffer.alloc(32, 3).toString("base64")}`;
      expect(() =>
        new Webhook(other).verify(got[0]?.body ?? "", got[0]?.headers as Record<string, string>),
      ).toThrow();
      expect(() =>
        new Webhook(secret).verify(`${got[0]?.body} `, got[0]?.headers as Record<string, string>),
      ).toThrow();
    });

    it("after a rotation both secrets sign for 24 hours: either verifies", async () => {
      const owner = await signUpThroughApi(payme.app);
      const { endpoint, secret: old } = await anEndpoint(owner.token, owner.businessId);
      const rotated = await request(
        "POST",
        `/api/businesses/${owner.businessId}/webhook-endpoints/${endpoint.id}/rotate-secret`,
        owner.token,
      );
      expect(rotated.status).toBe(200);
      const fresh = (rotated.body as { secret: string }).secret;
      expect(fresh).not.toBe(old);
      const ping = await request(
        "POST",
        `/api/businesses/${owner.businessId}/webhook-endpoints/${endpoint.id}/test`,
        owner.token,
      );
      const id = (ping.body as { event: { id: string } }).event.id;
      await runQueue();
      const got = receiver.received.find((r) => r.headers["webhook-id"] === id);
      expect(String(got?.headers["webhook-signature"]).split(" ")).toHaveLength(2);
      const headers = got?.headers as Record<string, string>;
      expect(() => new Webhook(fresh).verify(got?.body ?? "", headers)).not.toThrow();
      expect(() => new Webhook(old).verify(got?.body ?? "", headers)).not.toThrow();
    });

    it("a test ping to a disabled endpoint is 409 endpoint_disabled, and records nothing", async () => {
      const owner = await signUpThroughApi(payme.app);
      const { endpoint } = await anEndpoint(owner.token, owner.businessId);
      const path = `/api/businesses/${owner.businessId}/webhook-endpoints/${endpoint.id}`;
      expect((await request("PATCH", path, owner.token, { enabled: false })).status).toBe(200);
      const events = `/api/businesses/${owner.businessId}/events?type=ping`;
      const ping = await request("POST", `${path}/test`, owner.token);
      expect(ping.status).toBe(409);
      expect(ping.body).toMatchObject({ status: 409, code: "endpoint_disabled" });
      expect(String(ping.body.detail)).toMatch(/enable/i);
      expect((await request("GET", events, owner.token)).body).toMatchObject({ events: [] });
      expect((await request("PATCH", path, owner.token, { enabled: true })).status).toBe(200);
      expect((await request("POST", `${path}/test`, owner.token)).status).toBe(202);
      expect((await request("GET", events, owner.token)).body).toMatchObject({ events: [{ type: "ping" }] });
    });

    it("an event is fanned out, listed with a cursor, shows its deliveries, and is redelivered on demand", async () => {
      const owner = await signUpThroughApi(payme.app);
      const { endpoint, secret } = await anEndpoint(owner.token, owner.businessId, { events: ["sale.paid"] });
      const uow = resolve(payme.container, PORTS.unitOfWork);
      const events: OutboxEvent[] = ["sale.paid", "payout.completed", "sale.paid"].map((type, i) => ({
        id: resolve(payme.container, PORTS.ids).next(),
        type: type as OutboxEvent["type"],
        createdAt: new Date(Date.now() + i),
        businessId: owner.businessId,
        data: { object: { id: `object-${i}`, status: "paid" } },
      }));
      await uow.run(async (r) => {
        for (const event of events) await r.outbox.append(event);
      });
      await runQueue();
      const deliveredIds = receiver.received.map((r) => r.headers["webhook-id"]);
      expect(deliveredIds).toContain(events[0]?.id);
      expect(deliveredIds).toContain(events[2]?.id);
      // Not subscribed to payouts.
      expect(deliveredIds).not.toContain(events[1]?.id);
      const paid = receiver.received.find((r) => r.headers["webhook-id"] === events[0]?.id);
      expect(
        new Webhook(secret).verify(paid?.body ?? "", paid?.headers as Record<string, string>),
      ).toMatchObject({
        id: events[0]?.id,
        type: "sale.paid",
        businessId: owner.businessId,
        data: { object: { id: "object-0" } },
      });

      const page1 = await request("GET", `/api/businesses/${owner.businessId}/events?limit=2`, owner.token);
      expect(page1.status).toBe(200);
      const first = page1.body as { events: { id: string }[]; nextCursor: string };
      expect(first.events.map((e) => e.id)).toEqual([events[2]?.id, events[1]?.id]);
      const page2 = await request(
        "GET",
        `/api/businesses/${owner.businessId}/events?limit=2&cursor=${first.nextCursor}`,
        owner.token,
      );
      expect(page2.body as { events: { id: string }[]; nextCursor: null }).toMatchObject({
        nextCursor: null,
      });
      expect((page2.body as { events: { id: string }[] }).events.map((e) => e.id)).toEqual([events[0]?.id]);
      const onlyPayouts = await request(
        "GET",
        `/api/businesses/${owner.businessId}/events?type=payout.completed`,
        owner.token,
      );
      expect((onlyPayouts.body as { events: { id: string }[] }).events.map((e) => e.id)).toEqual([
        events[1]?.id,
      ]);
      expect(
        (await request("GET", `/api/businesses/${owner.businessId}/events?type=nope`, owner.token)).status,
      ).toBe(400);

      const detail = await request("GET", `/api/events/${events[0]?.id}`, owner.token);
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({
        event: { id: events[0]?.id, type: "sale.paid" },
        deliveries: [{ endpointId: endpoint.id, attempt: 1, status: "delivered", responseStatus: 204 }],
      });

      const again = await request("POST", `/api/events/${events[0]?.id}/redeliver`, owner.token);
      expect(again.status).toBe(202);
      expect(again.body).toEqual({ endpointIds: [endpoint.id] });
      await runQueue();
      expect(receiver.received.filter((r) => r.headers["webhook-id"] === events[0]?.id)).toHaveLength(2);
      const after = await request("GET", `/api/events/${events[0]?.id}`, owner.token);
      expect((after.body as { deliveries: unknown[] }).deliveries).toHaveLength(2);

      const stranger = await signUpThroughApi(payme.app);
      expect((await request("GET", `/api/events/${events[0]?.id}`, stranger.token)).status).toBe(404);
      expect((await request("POST", `/api/events/${events[0]?.id}/redeliver`, stranger.token)).status).toBe(
        404,
      );
    });

    it("a failing receiver is retried on the schedule and each attempt is shown; the list shows its health", async () => {
      const owner = await signUpThroughApi(payme.app);
      const { endpoint } = await anEndpoint(owner.token, owner.businessId, { url: receiver.url("/flaky") });
      let calls = 0;
      receiver.state.respond = (request, response) => {
        if (request.path === "/flaky" && calls++ === 0) {
          response.writeHead(500).end("try later");
          return;
        }
        response.writeHead(204).end();
      };
      const ping = await request(
        "POST",
        `/api/businesses/${owner.businessId}/webhook-endpoints/${endpoint.id}/test`,
        owner.token,
      );
      const id = (ping.body as { event: { id: string } }).event.id;
      await runQueue();
      const failed = await request("GET", `/api/events/${id}`, owner.token);
      expect(failed.body).toMatchObject({
        deliveries: [
          { endpointId: endpoint.id, attempt: 1, status: "failed", responseStatus: 500 },
          { endpointId: endpoint.id, attempt: 2, status: "pending" },
        ],
      });
      // WEBHOOK_RETRY_SCHEDULE=1,1: due again after about a second (give the jitter room).
      await new Promise((done) => setTimeout(done, 1300));
      await runQueue();
      const delivered = await request("GET", `/api/events/${id}`, owner.token);
      expect(
        (delivered.body as { deliveries: { status: string }[] }).deliveries.map((d) => d.status),
      ).toEqual(["failed", "delivered"]);
      const listed = await request(
        "GET",
        `/api/businesses/${owner.businessId}/webhook-endpoints`,
        owner.token,
      );
      expect((listed.body as { endpoints: Json[] }).endpoints[0]).toMatchObject({
        id: endpoint.id,
        lastDelivery: { status: "delivered", attempt: 2 },
      });
      receiver.state.respond = (_r, response) => response.writeHead(204).end();
    });

    it("updates, disables, re-enables and deletes an endpoint", async () => {
      const owner = await signUpThroughApi(payme.app);
      const { endpoint } = await anEndpoint(owner.token, owner.businessId);
      const path = `/api/businesses/${owner.businessId}/webhook-endpoints/${endpoint.id}`;
      const changed = await request("PATCH", path, owner.token, {
        events: ["payout.failed"],
        enabled: false,
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ endpoint: { events: ["payout.failed"], enabled: false } });
      expect((await request("PATCH", path, owner.token, { url: "https://a:b@example.com" })).status).toBe(
        400,
      );
      expect((await request("PATCH", path, owner.token, { enabled: true })).body).toMatchObject({
        endpoint: { enabled: true, disabledReason: null },
      });
      const stranger = await signUpThroughApi(payme.app);
      expect((await request("DELETE", path, stranger.token)).status).toBe(404);
      expect((await request("DELETE", path, owner.token)).status).toBe(204);
      expect((await request("DELETE", path, owner.token)).status).toBe(404);
      const listed = await request(
        "GET",
        `/api/businesses/${owner.businessId}/webhook-endpoints`,
        owner.token,
      );
      expect(listed.body).toEqual({ endpoints: [] });
    });
  },
);

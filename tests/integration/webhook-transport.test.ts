import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UndiciWebhookTransport } from "../../src/adapters/webhooks/undici-webhook-transport.ts";
import type { WebhookMessage } from "../../src/application/ports/webhook-transport.ts";
import { startWebhookReceiver } from "../support/webhook-receiver.ts";

const SECRET = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;
const never = new AbortController().signal;

const message = (url: string): WebhookMessage => ({
  url,
  eventId: "0193a000-0000-7000-8000-000000000001",
  timestamp: Math.floor(Date.now() / 1000),
  body: JSON.stringify({ id: "0193a000-0000-7000-8000-000000000001", type: "ping" }),
  secrets: [SECRET],
});

describe("sending a webhook (undici): timeouts, redirects, big and broken answers", () => {
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(() => receiver.close());
  const open = new UndiciWebhookTransport(
    { requireHttps: false, publicAddressesOnly: false },
    { timeoutMs: 400 },
  );

  it("a 2xx is delivered; the request carries the Standard Webhooks headers and the exact body", async () => {
    receiver.state.respond = (_r, response) => response.writeHead(200).end("ok");
    const sent = message(receiver.url("/ok"));
    const outcome = await open.send(sent, never);
    expect(outcome).toMatchObject({ type: "delivered", responseStatus: 200 });
    const got = receiver.received.at(-1);
    expect(got?.body).toBe(sent.body);
    expect(got?.headers["webhook-id"]).toBe(sent.eventId);
    expect(got?.headers["webhook-timestamp"]).toBe(String(sent.timestamp));
    expect(got?.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it("a 3xx is a failure and is not followed", async () => {
    receiver.state.respond = (request, response) => {
      if (request.path === "/moved") {
        response.writeHead(302, { location: receiver.url("/elsewhere") }).end();
      } else {
        response.writeHead(204).end();
      }
    };
    const outcome = await open.send(message(receiver.url("/moved")), never);
    expect(outcome).toMatchObject({ type: "failed", responseStatus: 302 });
    expect(receiver.received.some((r) => r.path === "/elsewhere")).toBe(false);
  });

  it("a 500 is a failure that records a little of the answer", async () => {
    receiver.state.respond = (_r, response) => response.writeHead(500).end("database down".repeat(200));
    const outcome = await open.send(message(receiver.url("/broken")), never);
    expect(outcome).toMatchObject({ type: "failed", responseStatus: 500 });
    expect(outcome.type === "failed" && outcome.error.length).toBeLessThan(300);
  });

  it("a receiver that hangs is a failure at the timeout", async () => {
    receiver.state.respond = () => undefined;
    const outcome = await open.send(message(receiver.url("/hang")), never);
    expect(outcome).toMatchObject({ type: "failed", responseStatus: null });
    expect(outcome.type === "failed" && outcome.error).toMatch(/no answer within|timeout/i);
  });

  it("a 100 MB answer is not read: at most 1 KB is, and the rest is dropped", async () => {
    let written = 0;
    receiver.state.respond = (_r, response) => {
      response.writeHead(200, { "content-length": String(100 * 1024 * 1024) });
      const chunk = Buffer.alloc(64 * 1024, 120);
      const pump = () => {
        while (written < 100 * 1024 * 1024) {
          written += chunk.length;
          if (!response.write(chunk)) {
            response.once("drain", pump);
            return;
          }
        }
        response.end();
      };
      response.on("close", () => undefined);
      pump();
    };
    const outcome = await open.send(message(receiver.url("/huge")), never);
    expect(outcome).toMatchObject({ type: "delivered", responseStatus: 200 });
    // The connection was dropped long before the receiver could write it all.
    expect(written).toBeLessThan(100 * 1024 * 1024);
  });

  it("a connection reset is a failure", async () => {
    receiver.state.respond = (_r, response) => response.socket?.destroy();
    const outcome = await open.send(message(receiver.url("/reset")), never);
    expect(outcome).toMatchObject({ type: "failed", responseStatus: null });
  });

  it("an attempt cut short by a shutdown is 'aborted', not a failure", async () => {
    receiver.state.respond = () => undefined;
    const shutdown = new AbortController();
    const sending = open.send(message(receiver.url("/slow")), shutdown.signal);
    setTimeout(() => shutdown.abort(), 50);
    expect(await sending).toEqual({ type: "aborted" });
  });
});

describe("SSRF: private, loopback and link-local addresses are refused in the connection's own lookup", () => {
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(() => receiver.close());

  it("a name that resolves to 127.0.0.1 is refused, and nothing reaches the address", async () => {
    const guarded = new UndiciWebhookTransport(
      { requireHttps: false, publicAddressesOnly: true },
      { resolver: async () => [{ address: "127.0.0.1", family: 4 }], timeoutMs: 2000 },
    );
    const before = receiver.received.length;
    const outcome = await guarded.send(message(`http://hooks.example.com:${receiver.port}/x`), never);
    expect(outcome).toMatchObject({ type: "failed", responseStatus: null });
    expect(outcome.type === "failed" && outcome.error).toMatch(/127\.0\.0\.1/);
    expect(receiver.received.length).toBe(before);
  });

  it("DNS rebinding: a name that answered a public address before is refused when it answers 127.0.0.1 at connect", async () => {
    const answers = ["93.184.216.34", "127.0.0.1"];
    let asked = 0;
    const guarded = new UndiciWebhookTransport(
      { requireHttps: false, publicAddressesOnly: true },
      {
        resolver: async () => [{ address: answers[Math.min(asked++, 1)] ?? "127.0.0.1", family: 4 }],
        timeoutMs: 2000,
      },
    );
    const url = `http://rebind.example.com:${receiver.port}/x`;
    // The URL's check at creation needs no lookup, and passes.
    expect(guarded.refusal(url)).toBeNull();
    // Someone looked the name up once (as a separate check would) and saw a public address.
    asked = 1;
    const outcome = await guarded.send(message(url), never);
    expect(outcome.type === "failed" && outcome.error).toMatch(/127\.0\.0\.1/);
    expect(receiver.received).toHaveLength(0);
  });

  it("addresses written into the URL are refused without a lookup; https only in production", () => {
    const production = new UndiciWebhookTransport({ requireHttps: true, publicAddressesOnly: true });
    expect(production.refusal("http://example.com/hooks")).toBe("must be https");
    for (const url of [
      "https://127.0.0.1/hooks",
      "https://10.1.2.3/hooks",
      "https://192.168.0.5/hooks",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/hooks",
      "https://[::ffff:127.0.0.1]/hooks",
      "https://localhost/hooks",
    ]) {
      expect(production.refusal(url), url).not.toBeNull();
    }
    expect(production.refusal("https://hooks.example.com/payme")).toBeNull();
    const lifted = new UndiciWebhookTransport({ requireHttps: true, publicAddressesOnly: false });
    expect(lifted.refusal("https://10.1.2.3/hooks")).toBeNull();
  });

  it("outside production (or with WEBHOOK_ALLOW_PRIVATE_URLS) a loopback receiver gets its webhooks", async () => {
    const open = new UndiciWebhookTransport({ requireHttps: false, publicAddressesOnly: false });
    const outcome = await open.send(message(receiver.url("/local")), never);
    expect(outcome).toMatchObject({ type: "delivered" });
  });
});

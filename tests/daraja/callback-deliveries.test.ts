import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  CallbackDeliveries,
  DELIVERIES_KEPT,
} from "../../src/adapters/daraja-simulator/callback-deliveries.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import { type CallbackReceiver, startCallbackReceiver } from "./callback-receiver.ts";

/** The simulator's callback deliveries on their own: what is sent, how often, and what is kept of it. */
describe("the simulator's callback deliveries", () => {
  const clock = new ManualClock(new Date("2026-03-01T09:00:00Z"));
  const logged: { event: string; fields: Readonly<Record<string, unknown>> }[] = [];
  const log = (event: string, fields: Readonly<Record<string, unknown>>) => logged.push({ event, fields });
  let receiver: CallbackReceiver;
  let refusing: Server;
  let refusingUrl: string;
  /** A loopback URL nothing listens on: a delivery there fails at once. */
  let unreachableUrl: string;
  const opened: CallbackDeliveries[] = [];
  const deliveries = (keep?: number) => {
    const created = new CallbackDeliveries({ clock, log, ...(keep === undefined ? {} : { keep }) });
    opened.push(created);
    return created;
  };
  const body = (n: number) => JSON.stringify({ Body: { n } });

  beforeAll(async () => {
    receiver = await startCallbackReceiver();
    refusing = createServer((_request, response) => {
      response.writeHead(503).end("busy");
    });
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    refusingUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    unreachableUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((created) => created.close()));
    logged.length = 0;
  });
  afterAll(async () => {
    await receiver.close();
    await new Promise<void>((resolve) => refusing.close(() => resolve()));
  });

  it("keeps only the last deliveries, oldest first, and still counts every one", async () => {
    const sent = deliveries(3);
    for (let n = 1; n <= 5; n++) {
      await sent.send("stk_callback", `${receiver.url}/kept/${n}`, body(n));
    }
    expect(sent.recent().map((delivery) => delivery.body)).toEqual([
      { Body: { n: 3 } },
      { Body: { n: 4 } },
      { Body: { n: 5 } },
    ]);
    expect(sent.recent()[0]).toMatchObject({ kind: "stk_callback", status: 200, error: null });
    expect(sent.counts()).toEqual({ delivered: 5, failed: 0 });
    expect(receiver.received("/kept/")).toHaveLength(5);
  });

  it(`keeps the last ${DELIVERIES_KEPT} by default, however long the simulator runs`, async () => {
    const sent = deliveries();
    for (let n = 1; n <= DELIVERIES_KEPT + 2; n++) {
      await sent.send("b2c_result", `${unreachableUrl}/default/${n}`, body(n));
    }
    const kept = sent.recent();
    expect(kept).toHaveLength(DELIVERIES_KEPT);
    expect(kept[0]?.body).toEqual({ Body: { n: 3 } });
    expect(kept.at(-1)?.body).toEqual({ Body: { n: DELIVERIES_KEPT + 2 } });
    expect(sent.counts()).toEqual({ delivered: 0, failed: DELIVERIES_KEPT + 2 });
  });

  it("records a refused or undeliverable callback as failed, and logs it without the URL's secret token", async () => {
    const sent = deliveries();
    await sent.send("stk_callback", `${refusingUrl}/hooks/stk/secret-token-1`, body(1));
    await sent.send("stk_callback", `${unreachableUrl}/hooks/stk/secret-token-2`, body(2));
    const [refused, lost] = sent.recent();
    expect(refused).toMatchObject({ status: 503, error: null });
    expect(lost?.status).toBeNull();
    expect(lost?.error).toEqual(expect.any(String));
    expect(sent.counts()).toEqual({ delivered: 0, failed: 2 });
    expect(logged.map((entry) => entry.event)).toEqual(["callback refused", "callback not delivered"]);
    expect(JSON.stringify(logged)).not.toContain("secret-token");
    expect(logged[0]?.fields.url).toBe(`${refusingUrl}/hooks/stk/[redacted]`);
  });

  it("sends a callback as often as asked: none drops it, racing duplicates all arrive", async () => {
    const sent = deliveries();
    await sent.sendRacing("stk_callback", `${receiver.url}/dropped`, body(0), 0, 0);
    await sent.sendTimes("b2c_result", `${receiver.url}/dropped-b2c`, body(0), 0);
    await sent.sendRacing("stk_callback", `${receiver.url}/racing`, body(1), 3, 0);
    await sent.sendTimes("b2c_result", `${receiver.url}/twice`, body(2), 2);
    expect(receiver.received("/dropped")).toHaveLength(0);
    expect(receiver.received("/racing")).toHaveLength(3);
    expect(receiver.received("/twice")).toHaveLength(2);
    expect(sent.counts()).toEqual({ delivered: 5, failed: 0 });
  });

  it("runs scheduled work, except what was called off by its key, and is idle once it has run", async () => {
    const sent = deliveries();
    const ran: string[] = [];
    sent.schedule(async () => {
      ran.push("kept");
    }, 5);
    sent.schedule(
      async () => {
        ran.push("called off");
      },
      5,
      "checkout:1",
    );
    sent.cancel("checkout:1");
    await sent.whenIdle(5);
    expect(ran).toEqual(["kept"]);
  });

  it("forgets its deliveries and counts when cleared", async () => {
    const sent = deliveries();
    await sent.send("status_result", `${receiver.url}/cleared`, body(1));
    sent.clear();
    expect(sent.recent()).toEqual([]);
    expect(sent.counts()).toEqual({ delivered: 0, failed: 0 });
  });
});

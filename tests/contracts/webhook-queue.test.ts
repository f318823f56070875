import { expect, it } from "vitest";
import { UuidV7IdGenerator } from "../../src/adapters/ids/uuid-v7-id-generator.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import { PlainSecretBox } from "../../src/adapters/in-memory/plain-secret-box.ts";
import type { OutboxEvent } from "../../src/application/ports/outbox-repository.ts";
import type { UnitOfWork } from "../../src/application/ports/unit-of-work.ts";
import type { RetrySchedule } from "../../src/application/ports/webhook-transport.ts";
import { DeliverWebhooks } from "../../src/application/webhooks/deliver-webhooks.ts";
import { FanOutEvents } from "../../src/application/webhooks/fan-out-events.ts";
import { restartedDelivery, withJobs } from "../../src/application/webhooks/new-delivery.ts";
import { PurgeEvents } from "../../src/application/webhooks/purge-events.ts";
import { SECRET_FIELDS, secretBinding } from "../../src/domain/sealed-secret.ts";
import { type EventSelection, WebhookEndpoint } from "../../src/domain/webhook-endpoint.ts";
import { T0 } from "../support/builders.ts";
import { ScriptedWebhookTransport } from "../support/scripted-webhook-transport.ts";
import { describeContract, seedOwner } from "./harness.ts";

const ids = new UuidV7IdGenerator();
const secretBox = new PlainSecretBox();
const SECRET = `whsec_${Buffer.alloc(24, 1).toString("base64")}`;
const HOUR = 3_600_000;

async function anEndpoint(
  uow: UnitOfWork,
  businessId: string,
  options: { events?: EventSelection; enabled?: boolean; at?: Date } = {},
): Promise<WebhookEndpoint> {
  let endpoint = WebhookEndpoint.create({
    id: ids.next(),
    businessId,
    url: "https://example.com/hooks",
    events: options.events ?? ["*"],
    description: null,
    secret: await secretBox.seal(SECRET, secretBinding(businessId, SECRET_FIELDS.webhookSecret)),
    createdAt: options.at ?? T0,
  });
  if (options.enabled === false) {
    endpoint = endpoint.change({ enabled: false });
  }
  await uow.run((r) => r.webhookEndpoints.add(endpoint));
  return endpoint;
}

function anEvent(businessId: string, type: OutboxEvent["type"], createdAt: Date = T0): OutboxEvent {
  return {
    id: ids.next(),
    type,
    createdAt,
    businessId,
    data: { object: { id: ids.next(), status: "paid" } },
  };
}

/** A fixed schedule without jitter: 10 s, then 60 s, then spent. */
const schedule: RetrySchedule = { delayMs: (step) => [10_000, 60_000][step] ?? null };

function queue(uow: UnitOfWork, clock: ManualClock, transport = new ScriptedWebhookTransport()) {
  const fanOut = new FanOutEvents({ uow, ids, clock });
  const deliver = new DeliverWebhooks({
    uow,
    ids,
    clock,
    secretBox,
    webhookTransport: transport,
    retrySchedule: schedule,
    disableAfterHours: 72,
  });
  return {
    transport,
    fanOut: () => fanOut.execute({ limit: 1000 }),
    deliver: (signal = new AbortController().signal) => deliver.execute({ limit: 1000, signal }),
  };
}

describeContract("webhook endpoints, the outbox's listing and the delivery queue", ({ uow }) => {
  it("stores endpoints whole, lists a business's oldest first, updates and removes them", async () => {
    const { business } = await seedOwner(uow());
    const first = await anEndpoint(uow(), business.id, { events: ["sale.paid", "payout.failed"] });
    const second = await anEndpoint(uow(), business.id, { at: new Date(T0.getTime() + 1000) });
    expect((await uow().run((r) => r.webhookEndpoints.findById(first.id)))?.snapshot()).toEqual(
      first.snapshot(),
    );
    const rotated = first.rotate(
      await secretBox.seal("whsec_b", secretBinding(business.id, SECRET_FIELDS.webhookSecret)),
      T0,
    );
    await uow().run((r) => r.webhookEndpoints.update(rotated));
    const listed = await uow().run((r) => r.webhookEndpoints.listByBusiness(business.id));
    expect(listed.map((e) => e.snapshot())).toEqual([rotated.snapshot(), second.snapshot()]);
    expect(await uow().run((r) => r.webhookEndpoints.remove(second.id))).toBe(true);
    expect(await uow().run((r) => r.webhookEndpoints.remove(second.id))).toBe(false);
    expect(await uow().run((r) => r.webhookEndpoints.findById(second.id))).toBeNull();
  });

  it("pages a business's events newest first, by type, with a cursor", async () => {
    const { business } = await seedOwner(uow());
    const events = [0, 1, 2, 3, 4].map((i) =>
      anEvent(business.id, i % 2 === 0 ? "sale.paid" : "payout.completed", new Date(T0.getTime() + i * 1000)),
    );
    await uow().run(async (r) => {
      for (const event of events) await r.outbox.append(event);
    });
    const first = await uow().run((r) =>
      r.outbox.pageForBusiness(business.id, {}, { limit: 2, cursor: null }),
    );
    expect(first.items.map((e) => e.id)).toEqual([events[4]?.id, events[3]?.id]);
    const second = await uow().run((r) =>
      r.outbox.pageForBusiness(business.id, {}, { limit: 2, cursor: first.nextCursor }),
    );
    expect(second.items.map((e) => e.id)).toEqual([events[2]?.id, events[1]?.id]);
    const last = await uow().run((r) =>
      r.outbox.pageForBusiness(business.id, {}, { limit: 2, cursor: second.nextCursor }),
    );
    expect(last).toEqual({ items: [events[0]], nextCursor: null });
    const paid = await uow().run((r) =>
      r.outbox.pageForBusiness(business.id, { type: "sale.paid" }, { limit: 10, cursor: null }),
    );
    expect(paid.items.map((e) => e.id)).toEqual([events[4]?.id, events[2]?.id, events[0]?.id]);
    expect(await uow().run((r) => r.outbox.findById(events[1]?.id ?? ""))).toEqual(events[1]);
  });

  it("fans an event out once: one delivery per enabled endpoint that subscribes to its type", async () => {
    const clock = new ManualClock(T0);
    const { business } = await seedOwner(uow());
    const everything = await anEndpoint(uow(), business.id);
    const paidOnly = await anEndpoint(uow(), business.id, { events: ["sale.paid"] });
    await anEndpoint(uow(), business.id, { enabled: false });
    const paid = anEvent(business.id, "sale.paid");
    const c2b = anEvent(business.id, "c2b.payment_received");
    await uow().run(async (r) => {
      await r.outbox.append(paid);
      await r.outbox.append(c2b);
    });
    const q = queue(uow(), clock);
    expect(await q.fanOut()).toBeGreaterThanOrEqual(2);
    expect(await q.fanOut()).toBe(0);
    const endpointsOf = async (event: OutboxEvent) =>
      (await uow().run((r) => r.webhookDeliveries.listForEvent(event.id))).map((d) => d.endpointId).sort();
    expect(await endpointsOf(paid)).toEqual([everything.id, paidOnly.id].sort());
    expect(await endpointsOf(c2b)).toEqual([everything.id]);
    // Each delivery has its own job.
    const jobs = (await uow().run((r) => r.webhookDeliveries.listForEvent(paid.id))).map((d) => d.jobId);
    expect(new Set(jobs).size).toBe(2);
    expect(jobs).not.toContain(null);
  });

  it("sends each delivery's job in the fan-out's transaction: a rolled-back fan-out leaves no job behind", async () => {
    const clock = new ManualClock(new Date(T0.getTime() + 1000 * HOUR));
    const { business } = await seedOwner(uow());
    await anEndpoint(uow(), business.id);
    const event = anEvent(business.id, "sale.paid", clock.now());
    await uow().run((r) => r.outbox.append(event));
    const sent: string[] = [];
    // The same unit of work, except that every transaction fails after its work: the fan-out rolls back whole.
    const failing: UnitOfWork = {
      read: (work) => uow().read(work),
      autocommit: (work) => uow().autocommit(work),
      run: (work) =>
        uow().run(async (r) => {
          await work({
            ...r,
            webhookJobs: {
              ...r.webhookJobs,
              sendAll: async (requests) => {
                const ids = await r.webhookJobs.sendAll(requests);
                sent.push(...ids);
                return ids;
              },
            },
          });
          throw new Error("the transaction fails after the fan-out's writes");
        }),
    };
    await expect(new FanOutEvents({ uow: failing, ids, clock }).execute({ limit: 1000 })).rejects.toThrow(
      /fails after/,
    );
    expect(sent).toHaveLength(1);
    expect(await uow().run((r) => r.webhookDeliveries.listForEvent(event.id))).toEqual([]);
    const taken = await uow().run((r) => r.webhookJobs.fetch(1000));
    expect(taken.map((job) => job.id)).not.toContain(sent[0]);
    // The event is still new: the next fan-out hands it on, with its job.
    await queue(uow(), clock).fanOut();
    const [delivery] = await uow().run((r) => r.webhookDeliveries.listForEvent(event.id));
    expect(delivery?.jobId).toEqual(expect.any(String));
    expect(delivery?.jobId).not.toBe(sent[0]);
  });

  it("hands a due job to one taker only, until it is completed", async () => {
    const clock = new ManualClock(new Date(T0.getTime() + 1100 * HOUR));
    const { business } = await seedOwner(uow());
    await anEndpoint(uow(), business.id);
    const event = anEvent(business.id, "sale.paid", clock.now());
    await uow().run((r) => r.outbox.append(event));
    await queue(uow(), clock).fanOut();
    const [delivery] = await uow().run((r) => r.webhookDeliveries.listForEvent(event.id));
    const mine = <J extends { deliveryId: string }>(jobs: J[]) =>
      jobs.filter((job) => job.deliveryId === delivery?.id);
    const first = mine(await uow().run((r) => r.webhookJobs.fetch(1000)));
    expect(first.map((job) => job.id)).toEqual([delivery?.jobId]);
    expect(mine(await uow().run((r) => r.webhookJobs.fetch(1000)))).toEqual([]);
    await uow().run((r) => r.webhookJobs.complete(first.map((job) => job.id)));
    expect(mine(await uow().run((r) => r.webhookJobs.fetch(1000)))).toEqual([]);
    // A job due later is not handed out before its time.
    const [later] = await uow().run((r) =>
      r.webhookJobs.sendAll([{ deliveryId: delivery?.id ?? "", startAfter: new Date(Date.now() + HOUR) }]),
    );
    expect((await uow().run((r) => r.webhookJobs.fetch(1000))).map((job) => job.id)).not.toContain(later);
  });

  it("retries a failing delivery on the schedule, records each attempt, and fails it once the schedule is spent", async () => {
    const clock = new ManualClock(new Date(T0.getTime() + 2000 * HOUR));
    const { business } = await seedOwner(uow());
    const endpoint = await anEndpoint(uow(), business.id);
    const event = anEvent(business.id, "sale.paid", clock.now());
    await uow().run((r) => r.outbox.append(event));
    const q = queue(uow(), clock);
    q.transport.answer = () => ({
      type: "failed",
      responseStatus: 500,
      durationMs: 12,
      error: "answered 500",
    });
    await q.fanOut();
    const delivery = async () => (await uow().run((r) => r.webhookDeliveries.listForEvent(event.id)))[0];
    await q.deliver();
    expect(await delivery()).toMatchObject({ status: "pending", attempts: 1, scheduleStep: 1 });
    expect((await delivery())?.nextAttemptAt).toEqual(new Date(clock.now().getTime() + 10_000));
    const firstJob = (await delivery())?.jobId;
    // Not due yet: nothing is sent.
    const sentBefore = q.transport.sent.length;
    clock.advance(9_000);
    await q.deliver();
    expect(q.transport.sent.length).toBe(sentBefore);
    expect(await delivery()).toMatchObject({ status: "pending", attempts: 1, scheduleStep: 1 });
    clock.advance(1_000);
    await q.deliver();
    expect(await delivery()).toMatchObject({ status: "pending", attempts: 2, scheduleStep: 2 });
    expect((await delivery())?.jobId).not.toBe(firstJob);
    clock.advance(60_000);
    await q.deliver();
    expect(await delivery()).toMatchObject({ status: "failed", attempts: 3, jobId: null });
    const attempts = await uow().run((r) => r.webhookDeliveries.attemptsForEvent(event.id));
    expect(attempts.map((a) => [a.attempt, a.status, a.responseStatus, a.error])).toEqual([
      [1, "failed", 500, "answered 500"],
      [2, "failed", 500, "answered 500"],
      [3, "failed", 500, "answered 500"],
    ]);
    // Every attempt carried the same webhook-id, and the body that was signed.
    const mine = q.transport.sent.filter((m) => m.eventId === event.id);
    expect(mine).toHaveLength(3);
    expect(JSON.parse(mine[0]?.body ?? "{}")).toEqual({
      id: event.id,
      type: "sale.paid",
      createdAt: event.createdAt.toISOString(),
      businessId: business.id,
      data: event.data,
    });
    expect(mine[0]?.secrets).toEqual([SECRET]);
    const last = await uow().run((r) => r.webhookDeliveries.lastAttempts([endpoint.id]));
    expect(last.get(endpoint.id)?.attempt).toBe(3);
  });

  it("a restarted delivery (a redelivery) gets a new job; its old job is dropped without an attempt", async () => {
    const clock = new ManualClock(new Date(T0.getTime() + 2500 * HOUR));
    const { business } = await seedOwner(uow());
    await anEndpoint(uow(), business.id);
    const event = anEvent(business.id, "sale.paid", clock.now());
    await uow().run((r) => r.outbox.append(event));
    const q = queue(uow(), clock);
    q.transport.answer = () => ({
      type: "failed",
      responseStatus: 500,
      durationMs: 1,
      error: "answered 500",
    });
    await q.fanOut();
    await q.deliver();
    const [failedOnce] = await uow().run((r) => r.webhookDeliveries.listForEvent(event.id));
    expect(failedOnce).toMatchObject({ status: "pending", attempts: 1, scheduleStep: 1 });
    const oldJob = failedOnce?.jobId;
    await uow().run(async (r) => {
      const locked = await r.webhookDeliveries.findForUpdate(failedOnce?.id ?? "");
      const [restarted] = await withJobs(r, locked === null ? [] : [restartedDelivery(locked, clock.now())]);
      if (restarted !== undefined) {
        await r.webhookDeliveries.update(restarted);
      }
    });
    q.transport.answer = () => ({ type: "delivered", responseStatus: 204, durationMs: 1 });
    // The old job is due too (by the queue's clock): it is skipped, and the new one makes the one attempt.
    const round = await q.deliver();
    expect(round.skipped).toBeGreaterThanOrEqual(1);
    expect(q.transport.sent.filter((m) => m.eventId === event.id)).toHaveLength(2);
    const [delivered] = await uow().run((r) => r.webhookDeliveries.listForEvent(event.id));
    expect(delivered).toMatchObject({ status: "delivered", attempts: 2, jobId: null });
    expect(delivered?.jobId).not.toBe(oldJob);
    expect(await uow().run((r) => r.webhookDeliveries.attemptsForEvent(event.id))).toHaveLength(2);
  });

  it("disables an endpoint that has failed every delivery for WEBHOOK_DISABLE_AFTER_HOURS, with the reason", async () => {
    const clock = new ManualClock(new Date(T0.getTime() + 3000 * HOUR));
    const { business } = await seedOwner(uow());
    const endpoint = await anEndpoint(uow(), business.id);
    const q = queue(uow(), clock);
    q.transport.answer = () => ({
      type: "failed",
      responseStatus: null,
      durationMs: 3,
      error: "ECONNREFUSED",
    });
    for (const hours of [0, 40, 73]) {
      clock.set(new Date(T0.getTime() + (3000 + hours) * HOUR));
      await uow().run((r) => r.outbox.append(anEvent(business.id, "sale.paid", clock.now())));
      await q.fanOut();
      await q.deliver();
      const current = await uow().run((r) => r.webhookEndpoints.findById(endpoint.id));
      expect(current?.enabled).toBe(hours < 72);
    }
    const disabled = await uow().run((r) => r.webhookEndpoints.findById(endpoint.id));
    expect(disabled?.disabledReason).toMatch(/failed for 72 hours/);
  });

  it("a success ends the failure streak: the endpoint is not disabled later", async () => {
    const clock = new ManualClock(new Date(T0.getTime() + 4000 * HOUR));
    const { business } = await seedOwner(uow());
    const endpoint = await anEndpoint(uow(), business.id);
    const q = queue(uow(), clock);
    let fail = true;
    q.transport.answer = () =>
      fail
        ? { type: "failed", responseStatus: 503, durationMs: 3, error: "answered 503" }
        : { type: "delivered", responseStatus: 204, durationMs: 3 };
    await uow().run((r) => r.outbox.append(anEvent(business.id, "sale.paid", clock.now())));
    await q.fanOut();
    await q.deliver();
    clock.advance(HOUR);
    fail = false;
    await uow().run((r) => r.outbox.append(anEvent(business.id, "sale.paid", clock.now())));
    await q.fanOut();
    await q.deliver();
    expect((await uow().run((r) => r.webhookEndpoints.findById(endpoint.id)))?.failingSince).toBeNull();
    clock.advance(80 * HOUR);
    fail = true;
    await uow().run((r) => r.outbox.append(anEvent(business.id, "sale.paid", clock.now())));
    await q.fanOut();
    await q.deliver();
    expect((await uow().run((r) => r.webhookEndpoints.findById(endpoint.id)))?.enabled).toBe(true);
  });

  it("hands back an attempt cut short by a shutdown: no attempt recorded, due again at once", async () => {
    const clock = new ManualClock(new Date(T0.getTime() + 5000 * HOUR));
    const { business } = await seedOwner(uow());
    await anEndpoint(uow(), business.id);
    const event = anEvent(business.id, "sale.paid", clock.now());
    await uow().run((r) => r.outbox.append(event));
    const q = queue(uow(), clock);
    await q.fanOut();
    q.transport.answer = (message) =>
      message.eventId === event.id ? "hang" : { type: "delivered", responseStatus: 200, durationMs: 1 };
    const shutdown = new AbortController();
    const round = q.deliver(shutdown.signal);
    while (!q.transport.sent.some((m) => m.eventId === event.id)) {
      await new Promise((done) => setTimeout(done, 5));
    }
    shutdown.abort();
    expect((await round).handedBack).toBeGreaterThanOrEqual(1);
    expect(await uow().run((r) => r.webhookDeliveries.attemptsForEvent(event.id))).toEqual([]);
    const [delivery] = await uow().run((r) => r.webhookDeliveries.listForEvent(event.id));
    expect(delivery).toMatchObject({ status: "pending", attempts: 0 });
    // Another instance (or the next start) claims it at once, without waiting for a lease to run out.
    q.transport.answer = () => ({ type: "delivered", responseStatus: 200, durationMs: 1 });
    await q.deliver();
    expect((await uow().run((r) => r.webhookDeliveries.listForEvent(event.id)))[0]).toMatchObject({
      status: "delivered",
      attempts: 1,
    });
  });

  it("after a rotation both secrets sign for 24 hours, then only the new one", async () => {
    const clock = new ManualClock(new Date(T0.getTime() + 5500 * HOUR));
    const { business } = await seedOwner(uow());
    const endpoint = await anEndpoint(uow(), business.id);
    const fresh = `whsec_${Buffer.alloc(24, 2).toString("base64")}`;
    const rotated = endpoint.rotate(
      await secretBox.seal(fresh, secretBinding(business.id, SECRET_FIELDS.webhookSecret)),
      clock.now(),
    );
    await uow().run((r) => r.webhookEndpoints.update(rotated));
    const q = queue(uow(), clock);
    const send = async () => {
      const event = anEvent(business.id, "sale.paid", clock.now());
      await uow().run((r) => r.outbox.append(event));
      await q.fanOut();
      await q.deliver();
      return q.transport.sent.find((m) => m.eventId === event.id)?.secrets;
    };
    clock.advance(24 * HOUR - 1000);
    expect(await send()).toEqual([fresh, SECRET]);
    clock.advance(2000);
    expect(await send()).toEqual([fresh]);
  });

  it("an endpoint deleted while its attempt is on the way: the attempt's outcome is dropped, nothing breaks", async () => {
    const clock = new ManualClock(new Date(T0.getTime() + 5600 * HOUR));
    const { business } = await seedOwner(uow());
    const endpoint = await anEndpoint(uow(), business.id);
    const event = anEvent(business.id, "sale.paid", clock.now());
    await uow().run((r) => r.outbox.append(event));
    const q = queue(uow(), clock);
    await q.fanOut();
    let removal: Promise<unknown> = Promise.resolve();
    q.transport.answer = (message) => {
      if (message.eventId === event.id) {
        // Not awaited by the attempt: the removal races the recording of its outcome, in either order.
        removal = uow().run((r) => r.webhookEndpoints.remove(endpoint.id));
      }
      return { type: "failed", responseStatus: 500, durationMs: 1, error: "answered 500" };
    };
    await expect(q.deliver()).resolves.toMatchObject({ handedBack: 0 });
    await removal;
    expect(await uow().run((r) => r.webhookEndpoints.findById(endpoint.id))).toBeNull();
    expect(await uow().run((r) => r.webhookDeliveries.listForEvent(event.id))).toEqual([]);
    expect(await uow().run((r) => r.webhookDeliveries.attemptsForEvent(event.id))).toEqual([]);
  });

  it("purges events older than EVENT_RETENTION_DAYS with their deliveries and attempts", async () => {
    const clock = new ManualClock(new Date(T0.getTime() + 6000 * HOUR));
    const { business } = await seedOwner(uow());
    await anEndpoint(uow(), business.id);
    const old = anEvent(business.id, "sale.paid", new Date(clock.now().getTime() - 31 * 24 * HOUR));
    const recent = anEvent(business.id, "sale.paid", new Date(clock.now().getTime() - 29 * 24 * HOUR));
    await uow().run(async (r) => {
      await r.outbox.append(old);
      await r.outbox.append(recent);
    });
    const q = queue(uow(), clock);
    await q.fanOut();
    await q.deliver();
    expect(await uow().run((r) => r.webhookDeliveries.attemptsForEvent(old.id))).toHaveLength(1);
    await new PurgeEvents({ uow: uow(), clock, eventRetentionDays: 30 }).execute({ limit: 1000 });
    expect(await uow().run((r) => r.outbox.findById(old.id))).toBeNull();
    expect(await uow().run((r) => r.webhookDeliveries.listForEvent(old.id))).toEqual([]);
    expect(await uow().run((r) => r.webhookDeliveries.attemptsForEvent(old.id))).toEqual([]);
    expect(await uow().run((r) => r.outbox.findById(recent.id))).not.toBeNull();
    expect(await uow().run((r) => r.webhookDeliveries.listForEvent(recent.id))).toHaveLength(1);
  });
});

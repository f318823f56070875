import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UuidV7IdGenerator } from "../../src/adapters/ids/uuid-v7-id-generator.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import { PlainSecretBox } from "../../src/adapters/in-memory/plain-secret-box.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import { DeliverWebhooks } from "../../src/application/webhooks/deliver-webhooks.ts";
import { FanOutEvents } from "../../src/application/webhooks/fan-out-events.ts";
import { SECRET_FIELDS, secretBinding } from "../../src/domain/sealed-secret.ts";
import { WebhookEndpoint } from "../../src/domain/webhook-endpoint.ts";
import { seedOwner } from "../contracts/harness.ts";
import { T0 } from "../support/builders.ts";
import { ScriptedWebhookTransport } from "../support/scripted-webhook-transport.ts";
import { explainSkipUnlessPostgres, onPostgres, openTestDatabase } from "../support/test-database.ts";

explainSkipUnlessPostgres("several instances claiming webhook deliveries at once (SKIP LOCKED)");

describe.skipIf(!onPostgres())("webhook deliveries shared by several instances, on PostgreSQL", () => {
  let database: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase("postgres"));
  });
  afterAll(() => drop());

  it("four instances fanning out and delivering at once send each event once, and every one", async () => {
    const ids = new UuidV7IdGenerator();
    const clock = new ManualClock(T0);
    const secretBox = new PlainSecretBox();
    const uow = new MikroOrmUnitOfWork(database);
    const { business } = await seedOwner(uow);
    const endpoint = WebhookEndpoint.create({
      id: ids.next(),
      businessId: business.id,
      url: "https://hooks.example.com/payme",
      events: ["*"],
      description: null,
      secret: await secretBox.seal(
        "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=",
        secretBinding(business.id, SECRET_FIELDS.webhookSecret),
      ),
      createdAt: T0,
    });
    await uow.run((r) => r.webhookEndpoints.add(endpoint));
    const events = Array.from({ length: 120 }, (_, i) => ({
      id: ids.next(),
      type: "sale.paid" as const,
      createdAt: new Date(T0.getTime() - 1000 + i),
      businessId: business.id,
      data: { object: { n: i } },
    }));
    await uow.run(async (r) => {
      for (const event of events) await r.outbox.append(event);
    });
    // Each instance has its own unit of work (its own connections) over the one database.
    const transport = new ScriptedWebhookTransport();
    transport.answer = () => ({ type: "delivered", responseStatus: 204, durationMs: 1 });
    const instances = Array.from({ length: 4 }, () => {
      const own = new MikroOrmUnitOfWork(database);
      return {
        fanOut: new FanOutEvents({ uow: own, ids, clock }),
        deliver: new DeliverWebhooks({
          uow: own,
          ids,
          clock,
          secretBox,
          webhookTransport: transport,
          retrySchedule: { delayMs: () => 1000 },
          disableAfterHours: 72,
        }),
      };
    });
    const signal = new AbortController().signal;
    for (let round = 0; round < 10; round += 1) {
      await Promise.all(
        instances.map(async (instance) => {
          await instance.fanOut.execute({ limit: 7 });
          await instance.deliver.execute({ limit: 5, signal });
        }),
      );
    }
    const sent = transport.sent.map((m) => m.eventId);
    expect(new Set(sent).size).toBe(events.length);
    expect(sent.length).toBe(events.length);
    const [counts] = await database.orm.em
      .fork()
      .getConnection()
      .execute<{ deliveries: number; delivered: number }[]>(
        `select count(*)::int as deliveries, count(*) filter (where status = 'delivered')::int as delivered from webhook_deliveries`,
      );
    expect(counts).toEqual({ deliveries: events.length, delivered: events.length });
  });
});

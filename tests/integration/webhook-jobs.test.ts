import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UuidV7IdGenerator } from "../../src/adapters/ids/uuid-v7-id-generator.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import { PlainSecretBox } from "../../src/adapters/in-memory/plain-secret-box.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import {
  JOB_EXPIRY_SECONDS,
  PG_BOSS_SCHEMA,
  WEBHOOK_QUEUE,
} from "../../src/adapters/persistence/pg-boss-webhook-jobs.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import type { OutboxEvent } from "../../src/application/ports/outbox-repository.ts";
import { DeliverWebhooks } from "../../src/application/webhooks/deliver-webhooks.ts";
import { FanOutEvents } from "../../src/application/webhooks/fan-out-events.ts";
import { SECRET_FIELDS, secretBinding } from "../../src/domain/sealed-secret.ts";
import { WebhookEndpoint } from "../../src/domain/webhook-endpoint.ts";
import { seedOwner } from "../contracts/harness.ts";
import { T0 } from "../support/builders.ts";
import { deferred } from "../support/deferred.ts";
import { ScriptedWebhookTransport } from "../support/scripted-webhook-transport.ts";
import { openTestDatabase, testDatabaseKinds } from "../support/test-database.ts";

const ids = new UuidV7IdGenerator();
const secretBox = new PlainSecretBox();

describe.each(testDatabaseKinds())("the webhook queue on pg-boss, on %s", (kind) => {
  let database: Database;
  let drop: () => Promise<void>;
  let uow: MikroOrmUnitOfWork;
  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase(kind));
    uow = new MikroOrmUnitOfWork(database);
  });
  afterAll(() => drop());

  const sql = <T>(text: string, values: unknown[] = []) =>
    database.orm.em.fork().getConnection().execute<T[]>(text, values);

  /** A business with one endpoint and one new sale.paid event, fanned out: its delivery and the delivery's job. */
  async function aFannedOutEvent(clock: ManualClock) {
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
    const event: OutboxEvent = {
      id: ids.next(),
      type: "sale.paid",
      createdAt: clock.now(),
      businessId: business.id,
      data: { object: { id: ids.next() } },
    };
    await uow.run((r) => r.outbox.append(event));
    await new FanOutEvents({ uow, ids, clock }).execute({ limit: 1000 });
    const [delivery] = await uow.read((r) => r.webhookDeliveries.listForEvent(event.id));
    if (delivery?.jobId === null || delivery === undefined) {
      throw new Error("the fan-out left no delivery with a job");
    }
    return { event, delivery, jobId: delivery.jobId };
  }

  const jobState = async (id: string) =>
    (
      await sql<{ state: string }>(`select state::text from "${PG_BOSS_SCHEMA}"."job" where "id" = ?`, [id])
    )[0]?.state ?? "gone";

  it("the migrations installed pg-boss in its own schema, with PayMe's queue and its 30-second expiry", async () => {
    const [queue] = await sql<{ policy: string; expire_seconds: number; retry_delay: number }>(
      `select policy, expire_seconds, retry_delay from "${PG_BOSS_SCHEMA}"."queue" where name = ?`,
      [WEBHOOK_QUEUE],
    );
    expect(queue).toEqual({ policy: "standard", expire_seconds: JOB_EXPIRY_SECONDS, retry_delay: 0 });
    // Installing again (every start migrates) changes nothing.
    expect(await database.webhookJobs.install()).toBe(0);
  });

  it("a job is sent with its delivery, taken by one attempt, and completed with the attempt's record", async () => {
    const clock = new ManualClock(T0);
    const { event, delivery, jobId } = await aFannedOutEvent(clock);
    const [job] = await sql<{ data: { deliveryId: string }; state: string }>(
      `select data, state::text from "${PG_BOSS_SCHEMA}"."job" where "id" = ?`,
      [jobId],
    );
    expect(job).toEqual({ data: { deliveryId: delivery.id }, state: "created" });
    const transport = new ScriptedWebhookTransport();
    transport.answer = () => ({ type: "failed", responseStatus: 503, durationMs: 2, error: "answered 503" });
    const deliver = new DeliverWebhooks({
      uow,
      ids,
      clock,
      secretBox,
      webhookTransport: transport,
      retrySchedule: { delayMs: () => 60_000 },
      disableAfterHours: 72,
    });
    await deliver.execute({ limit: 100, signal: new AbortController().signal });
    expect(transport.sent.map((m) => m.eventId)).toContain(event.id);
    const [after] = await uow.read((r) => r.webhookDeliveries.listForEvent(event.id));
    expect(after).toMatchObject({ status: "pending", attempts: 1, scheduleStep: 1 });
    expect(await jobState(jobId)).toBe("completed");
    // The retry is the next job, due when the schedule says (startAfter), not a pg-boss retry of this one.
    const [next] = await sql<{ start_after: Date; state: string }>(
      `select start_after, state::text from "${PG_BOSS_SCHEMA}"."job" where "id" = ?`,
      [after?.jobId],
    );
    expect(next?.state).toBe("created");
    expect(new Date(next?.start_after ?? 0)).toEqual(after?.nextAttemptAt);
  });

  it("a job taken by an instance that died comes back when it expires", async () => {
    const clock = new ManualClock(T0);
    const { delivery, jobId } = await aFannedOutEvent(clock);
    const taken = await uow.run((r) => r.webhookJobs.fetch(1000));
    expect(taken).toContainEqual({ id: jobId, deliveryId: delivery.id });
    expect(await jobState(jobId)).toBe("active");
    await database.webhookJobs.maintain();
    expect(await jobState(jobId)).toBe("active");
    // As if the instance had been killed JOB_EXPIRY_SECONDS ago, mid-attempt.
    await sql(
      `update "${PG_BOSS_SCHEMA}"."job" set started_on = now() - interval '1 minute' where "id" = ?`,
      [jobId],
    );
    await database.webhookJobs.maintain();
    expect(await jobState(jobId)).toBe("retry");
    const again = await uow.run((r) => r.webhookJobs.fetch(1000));
    expect(again).toContainEqual({ id: jobId, deliveryId: delivery.id });
  });

  it("pg-boss's statements never run inside another open transaction (PGlite has one connection)", async () => {
    const clock = new ManualClock(T0);
    const { delivery } = await aFannedOutEvent(clock);
    const sending = deferred<string>();
    const release = deferred();
    const rolledBack = uow
      .run(async (r) => {
        const [id] = await r.webhookJobs.sendAll([{ deliveryId: delivery.id, startAfter: T0 }]);
        sending.resolve(id ?? "");
        await release.promise;
        throw new Error("rolled back");
      })
      .catch(() => undefined);
    const uncommitted = await sending.promise;
    // Outside the transaction: on PostgreSQL it does not see the uncommitted job; on PGlite it waits for the
    // transaction to end (the pool's one connection), instead of running inside it.
    const outside = uow.read((r) => r.webhookJobs.fetch(1000));
    const maintenance = database.webhookJobs.maintain();
    release.resolve();
    await rolledBack;
    expect((await outside).map((job) => job.id)).not.toContain(uncommitted);
    await maintenance;
    expect(await jobState(uncommitted)).toBe("gone");
  });

  it("gives a job to a pending delivery that has none (rows from before the move to pg-boss)", async () => {
    const clock = new ManualClock(T0);
    const { delivery, jobId } = await aFannedOutEvent(clock);
    await sql(`update "webhook_deliveries" set "job_id" = null where "id" = ?`, [delivery.id]);
    await sql(`delete from "${PG_BOSS_SCHEMA}"."job" where "id" = ?`, [jobId]);
    expect(await database.webhookJobs.install()).toBeGreaterThanOrEqual(1);
    const adopted = await uow.read((r) => r.webhookDeliveries.findById(delivery.id));
    expect(adopted?.jobId).toEqual(expect.any(String));
    expect(await jobState(adopted?.jobId ?? "")).toBe("created");
    expect(await database.webhookJobs.install()).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { InMemoryTables } from "../../src/adapters/in-memory/in-memory-tables.ts";
import { InMemoryUnitOfWork } from "../../src/adapters/in-memory/in-memory-unit-of-work.ts";
import {
  IN_MEMORY_JOB_EXPIRY_MS,
  InMemoryWebhookJobQueue,
} from "../../src/adapters/in-memory/in-memory-webhook-job-queue.ts";

describe("the in-memory webhook queue (the in-memory adapters' stand-in for pg-boss)", () => {
  it("hands out due jobs once, not before startAfter, and again once a taken job expires", async () => {
    const tables = new InMemoryTables();
    let now = new Date("2026-12-01T00:00:00.000Z");
    const queue = new InMemoryWebhookJobQueue(tables, () => now);
    const [soon, later] = await queue.sendAll([
      { deliveryId: "d-1", startAfter: now },
      { deliveryId: "d-2", startAfter: new Date(now.getTime() + 60_000) },
    ]);
    expect(await queue.fetch(10)).toEqual([{ id: soon, deliveryId: "d-1" }]);
    expect(await queue.fetch(10)).toEqual([]);
    now = new Date(now.getTime() + IN_MEMORY_JOB_EXPIRY_MS + 1);
    // The taken job has expired (its taker died): it comes back; the later one is not due yet.
    expect(await queue.fetch(10)).toEqual([{ id: soon, deliveryId: "d-1" }]);
    await queue.complete([soon ?? ""]);
    now = new Date(now.getTime() + 60_000);
    expect(await queue.fetch(10)).toEqual([{ id: later, deliveryId: "d-2" }]);
    now = new Date(now.getTime() + IN_MEMORY_JOB_EXPIRY_MS + 1);
    await queue.complete([later ?? ""]);
    expect(await queue.fetch(10)).toEqual([]);
  });

  it("a job sent in a transaction that rolls back is gone with it", async () => {
    const uow = new InMemoryUnitOfWork();
    await expect(
      uow.run(async (r) => {
        await r.webhookJobs.sendAll([{ deliveryId: "d-1", startAfter: new Date(0) }]);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await uow.run((r) => r.webhookJobs.fetch(10))).toEqual([]);
  });
});

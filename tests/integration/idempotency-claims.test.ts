import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Database } from "../../src/adapters/persistence/database.ts";
import { MikroOrmIdempotencyStore } from "../../src/adapters/persistence/mikro-orm-idempotency-store.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import type { IdempotencyClaim, IdempotencyScope } from "../../src/application/ports/idempotency-store.ts";
import { seedOwner } from "../contracts/harness.ts";
import { explainSkipUnlessPostgres, onPostgres, openTestDatabase } from "../support/test-database.ts";

explainSkipUnlessPostgres("concurrent claims of one idempotency key");

const T = new Date("2026-06-01T12:00:00.000Z");
const HOUR = 60 * 60 * 1000;
const claimAt = (hours: number, requestHash = "hash-a"): IdempotencyClaim => ({
  requestHash,
  now: new Date(T.getTime() + hours * HOUR),
  expiresAt: new Date(T.getTime() + (hours + 24) * HOUR),
});

describe.skipIf(!onPostgres())("idempotency keys on PostgreSQL", () => {
  let database: Database;
  let drop: () => Promise<void>;
  let store: MikroOrmIdempotencyStore;
  let scopeOf: (key: string) => Promise<IdempotencyScope>;

  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase());
    store = new MikroOrmIdempotencyStore(database.orm);
    const uow = new MikroOrmUnitOfWork(database);
    scopeOf = async (key) => ({ userId: (await seedOwner(uow)).user.id, route: "POST /api/payouts", key });
  });
  afterAll(() => drop());

  it("of 10 concurrent claims of a new key, exactly one claims it; the others see it in progress", async () => {
    const scope = await scopeOf("race-new");
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => store.claim(scope, claimAt(0))));
    expect(outcomes.filter((o) => o.type === "claimed")).toHaveLength(1);
    expect(outcomes.filter((o) => o.type === "in_progress")).toHaveLength(9);
  });

  it("of 10 concurrent claims with different bodies, exactly one claims; the others conflict", async () => {
    const scope = await scopeOf("race-bodies");
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.claim(scope, claimAt(0, `hash-${i}`))),
    );
    expect(outcomes.filter((o) => o.type === "claimed")).toHaveLength(1);
    expect(outcomes.filter((o) => o.type === "conflict")).toHaveLength(9);
  });

  it("of 10 concurrent claims of an expired key, exactly one takes it over", async () => {
    const scope = await scopeOf("race-expired");
    await store.claim(scope, claimAt(0));
    await store.complete(scope, { status: 202, contentType: "application/json", body: "{}" });
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => store.claim(scope, claimAt(30))));
    expect(outcomes.filter((o) => o.type === "claimed")).toHaveLength(1);
    expect(outcomes.filter((o) => o.type === "in_progress")).toHaveLength(9);
  });

  it("keys outlive the process: a new connection pool (as after a restart) replays a saved response", async () => {
    const scope = await scopeOf("restart");
    const response = {
      status: 409,
      contentType: "application/problem+json",
      body: '{"code":"subscriber_busy"}',
    };
    await store.claim(scope, claimAt(0));
    await store.complete(scope, response);
    const reopened = await Database.open(database.target, { poolMax: 2 });
    try {
      const outcome = await new MikroOrmIdempotencyStore(reopened.orm).claim(scope, claimAt(1));
      expect(outcome).toEqual({ type: "replay", response });
    } finally {
      await reopened.close();
    }
  });
});

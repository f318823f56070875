import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InMemoryIdempotencyStore } from "../../src/adapters/in-memory/in-memory-idempotency-store.ts";
import { InMemoryUnitOfWork } from "../../src/adapters/in-memory/in-memory-unit-of-work.ts";
import { MikroOrmIdempotencyStore } from "../../src/adapters/persistence/mikro-orm-idempotency-store.ts";
import { MikroOrmUnitOfWork } from "../../src/adapters/persistence/repositories/mikro-orm-unit-of-work.ts";
import type {
  IdempotencyClaim,
  IdempotencyScope,
  IdempotencyStore,
  StoredResponse,
} from "../../src/application/ports/idempotency-store.ts";
import { RecordNotFound } from "../../src/application/ports/repository-errors.ts";
import type { UnitOfWork } from "../../src/application/ports/unit-of-work.ts";
import { onPostgres, openTestDatabase } from "../support/test-database.ts";
import { seedOwner } from "./harness.ts";

type StoreUnderTest = {
  readonly store: () => IdempotencyStore;
  /** Where users are stored: idempotency keys need one (a foreign key in the database). */
  readonly uow: () => UnitOfWork;
};

/**
 * The store is no repository of the unit of work (it runs its own short statements), so harness.ts's
 * describeContract, which hands a suite only a UnitOfWork, cannot build it; this runs the suite the same
 * way: against the in-memory adapter and against the database (PostgreSQL, or PGlite without a server).
 */
function describeStoreContract(title: string, suite: (adapter: StoreUnderTest) => void): void {
  describe(`${title} — in-memory`, () => {
    const store = new InMemoryIdempotencyStore();
    const uow = new InMemoryUnitOfWork();
    suite({ store: () => store, uow: () => uow });
  });

  describe(`${title} — ${onPostgres() ? "PostgreSQL" : "PGlite"}`, () => {
    let opened: { store: IdempotencyStore; uow: UnitOfWork; drop: () => Promise<void> } | null = null;
    beforeAll(async () => {
      const { database, drop } = await openTestDatabase();
      opened = {
        store: new MikroOrmIdempotencyStore(database.orm),
        uow: new MikroOrmUnitOfWork(database),
        drop,
      };
    });
    afterAll(() => opened?.drop());
    const get = () => {
      if (opened === null) {
        throw new Error("the test database is not open yet");
      }
      return opened;
    };
    suite({ store: () => get().store, uow: () => get().uow });
  });
}

const HOUR = 60 * 60 * 1000;
const T = new Date("2026-06-01T12:00:00.000Z");
const at = (hours: number) => new Date(T.getTime() + hours * HOUR);

/** A claim at `hours` after T, kept for 24 hours. */
const claimAt = (hours: number, requestHash = "hash-a"): IdempotencyClaim => ({
  requestHash,
  now: at(hours),
  expiresAt: at(hours + 24),
});

const accepted: StoredResponse = {
  status: 202,
  contentType: "application/json",
  body: '{ "purchase": {"id": "p-1", "note": "Karibu — asante"} }',
};

describeStoreContract("IdempotencyStore", (adapter) => {
  let userId: string;
  let scope: IdempotencyScope;
  beforeEach(async () => {
    userId = (await seedOwner(adapter.uow())).user.id;
    scope = { userId, route: "POST /api/wallet-payment/initiate", key: "key-1" };
  });

  it("claims a new key once; the same request again is in progress until it completes", async () => {
    const store = adapter.store();
    expect(await store.claim(scope, claimAt(0))).toEqual({ type: "claimed" });
    expect(await store.claim(scope, claimAt(0))).toEqual({ type: "in_progress" });
  });

  it("a completed key replays the saved response verbatim, every time", async () => {
    const store = adapter.store();
    await store.claim(scope, claimAt(0));
    await store.complete(scope, accepted);
    expect(await store.claim(scope, claimAt(1))).toEqual({ type: "replay", response: accepted });
    expect(await store.claim(scope, claimAt(2))).toEqual({ type: "replay", response: accepted });
  });

  it("keeps a response saved without a content type, and failures as well as successes", async () => {
    const store = adapter.store();
    const busy: StoredResponse = { status: 409, contentType: null, body: "" };
    await store.claim(scope, claimAt(0));
    await store.complete(scope, busy);
    expect(await store.claim(scope, claimAt(0))).toEqual({ type: "replay", response: busy });
  });

  it("the key with another request is a conflict, while in progress and once completed", async () => {
    const store = adapter.store();
    await store.claim(scope, claimAt(0, "hash-a"));
    expect(await store.claim(scope, claimAt(0, "hash-b"))).toEqual({ type: "conflict" });
    await store.complete(scope, accepted);
    expect(await store.claim(scope, claimAt(1, "hash-b"))).toEqual({ type: "conflict" });
  });

  it("a released key can be claimed again, with any request", async () => {
    const store = adapter.store();
    await store.claim(scope, claimAt(0, "hash-a"));
    await store.release(scope);
    expect(await store.claim(scope, claimAt(0, "hash-b"))).toEqual({ type: "claimed" });
    expect(await store.claim(scope, claimAt(0, "hash-b"))).toEqual({ type: "in_progress" });
  });

  it("release leaves a completed key, and an absent one, as they are", async () => {
    const store = adapter.store();
    await store.claim(scope, claimAt(0));
    await store.complete(scope, accepted);
    await store.release(scope);
    expect(await store.claim(scope, claimAt(1))).toEqual({ type: "replay", response: accepted });
    await expect(store.release({ ...scope, key: "never-claimed" })).resolves.toBeUndefined();
  });

  it("completing a key that is not in progress is a bug, and changes nothing", async () => {
    const store = adapter.store();
    await expect(store.complete({ ...scope, key: "never-claimed" }, accepted)).rejects.toBeInstanceOf(
      RecordNotFound,
    );
    await store.claim(scope, claimAt(0));
    await store.complete(scope, accepted);
    await expect(store.complete(scope, { ...accepted, status: 500 })).rejects.toBeInstanceOf(RecordNotFound);
    expect(await store.claim(scope, claimAt(1))).toEqual({ type: "replay", response: accepted });
  });

  it("keys are scoped by user and by route", async () => {
    const store = adapter.store();
    const otherUserId = (await seedOwner(adapter.uow())).user.id;
    await store.claim(scope, claimAt(0));
    await store.complete(scope, accepted);
    expect(await store.claim({ ...scope, userId: otherUserId }, claimAt(0, "hash-b"))).toEqual({
      type: "claimed",
    });
    expect(await store.claim({ ...scope, route: "POST /api/payouts" }, claimAt(0, "hash-b"))).toEqual({
      type: "claimed",
    });
    expect(await store.claim({ ...scope, key: "key-2" }, claimAt(0, "hash-b"))).toEqual({ type: "claimed" });
    expect(await store.claim(scope, claimAt(0))).toEqual({ type: "replay", response: accepted });
  });

  it("keys count until they expire; an expired key is absent and can be claimed for any request", async () => {
    const store = adapter.store();
    await store.claim(scope, claimAt(0, "hash-a"));
    await store.complete(scope, accepted);
    expect(
      await store.claim(scope, { ...claimAt(0, "hash-a"), now: new Date(at(24).getTime() - 1) }),
    ).toEqual({
      type: "replay",
      response: accepted,
    });
    expect(await store.claim(scope, claimAt(24, "hash-b"))).toEqual({ type: "claimed" });
    expect(await store.claim(scope, claimAt(25, "hash-b"))).toEqual({ type: "in_progress" });
    expect(await store.claim(scope, claimAt(25, "hash-a"))).toEqual({ type: "conflict" });
  });

  it("an expired key still in progress (its request died with a server) can be claimed again", async () => {
    const store = adapter.store();
    await store.claim(scope, claimAt(0));
    expect(await store.claim(scope, claimAt(23))).toEqual({ type: "in_progress" });
    expect(await store.claim(scope, claimAt(24))).toEqual({ type: "claimed" });
  });

  it("purgeExpired deletes the keys expired at `now`, and only those", async () => {
    const store = adapter.store();
    // Far before every other test's keys, so that none of theirs expires by the purge's `now`.
    const longAgo = (hours: number): IdempotencyClaim => ({
      requestHash: "hash-a",
      now: new Date(Date.UTC(2020, 0, 1) + hours * HOUR),
      expiresAt: new Date(Date.UTC(2020, 0, 1) + (hours + 24) * HOUR),
    });
    await store.claim({ ...scope, key: "old-completed" }, longAgo(0));
    await store.complete({ ...scope, key: "old-completed" }, accepted);
    await store.claim({ ...scope, key: "old-in-progress" }, longAgo(1));
    await store.claim({ ...scope, key: "still-valid" }, longAgo(2));
    await store.complete({ ...scope, key: "still-valid" }, accepted);

    expect(await store.purgeExpired(longAgo(25).now)).toBe(2);
    expect(await store.purgeExpired(longAgo(25).now)).toBe(0);
    expect(await store.claim({ ...scope, key: "still-valid" }, longAgo(25))).toEqual({
      type: "replay",
      response: accepted,
    });
    // A purged key is simply absent.
    expect(await store.claim({ ...scope, key: "old-completed" }, longAgo(25))).toEqual({ type: "claimed" });
  });
});

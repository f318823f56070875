import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { C2bPullSchedule } from "../../src/adapters/background/c2b-pull-schedule.ts";
import { ManualClock } from "../../src/adapters/in-memory/manual-clock.ts";
import { LocalClusterLock, PostgresClusterLock } from "../../src/adapters/persistence/cluster-lock.ts";
import { Database } from "../../src/adapters/persistence/database.ts";
import type { PullOutcome } from "../../src/application/c2b/pull-c2b-payments.ts";
import { explainSkipUnlessPostgres, onPostgres, openTestDatabase } from "../support/test-database.ts";

const EVERY_MS = 15 * 60_000;

/** A pull that counts its calls; the first, while `held`, waits until released: a pull that takes its time. */
function aSlowPull() {
  let release: () => void = () => undefined;
  let entered: () => void = () => undefined;
  const state = {
    calls: 0,
    held: true,
    /** Resolves when a pull has started. */
    started: new Promise<void>((resolve) => {
      entered = resolve;
    }),
    release: () => release(),
    pull: async (): Promise<PullOutcome> => {
      state.calls += 1;
      entered();
      // Only the first of overlapping pulls waits, so that a missing lock fails the test instead of hanging it.
      if (state.held && state.calls === 1) {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
      return { pulled: 3, recorded: 1 };
    },
  };
  return state;
}

/** Two schedules racing: the one that pulls is held until the other has answered. */
async function race(first: C2bPullSchedule, second: C2bPullSchedule, slow: ReturnType<typeof aSlowPull>) {
  const runs = [first.run(), second.run()];
  await slow.started;
  const settledFirst = await Promise.race(runs);
  slow.release();
  return { settledFirst, results: await Promise.all(runs) };
}

explainSkipUnlessPostgres("the C2B pull's lock across instances");

describe.skipIf(!onPostgres())("the C2B pull across instances on one PostgreSQL database", () => {
  let database: Database;
  let other: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase("postgres"));
    if (database.target.kind !== "postgres") {
      throw new Error("expected PostgreSQL");
    }
    // A second instance: its own connections to the same database.
    other = await Database.open(database.target);
  });
  afterAll(async () => {
    await other.close();
    await drop();
  });

  it("lets only one of two instances' schedules pull at a time; the other skips and pulls when next due", async () => {
    const url = database.target.kind === "postgres" ? database.target.url : "";
    const clock = new ManualClock();
    const slow = aSlowPull();
    const schedule = (lock: PostgresClusterLock) =>
      new C2bPullSchedule({ pull: slow.pull, lock, clock, everyMs: EVERY_MS });
    const a = schedule(new PostgresClusterLock(url));
    const b = schedule(new PostgresClusterLock(url));

    const { settledFirst, results } = await race(a, b, slow);
    expect(settledFirst).toBe("pulling elsewhere");
    expect(slow.calls).toBe(1);
    expect(results).toContainEqual({ pulled: 3, recorded: 1 });
    expect(results).toContain("pulling elsewhere");

    // Not due again on either instance until the interval has passed; then the lock is free again.
    expect(await a.run()).toBe("not due");
    expect(await b.run()).toBe("not due");
    clock.advance(EVERY_MS);
    slow.held = false;
    expect(await b.run()).toEqual({ pulled: 3, recorded: 1 });
    expect(await a.run()).toEqual({ pulled: 3, recorded: 1 });
    expect(slow.calls).toBe(3);
  });

  it("releases the lock when a pull fails, so that the next one runs", async () => {
    const url = database.target.kind === "postgres" ? database.target.url : "";
    const clock = new ManualClock();
    const failing = new C2bPullSchedule({
      pull: () => Promise.reject(new Error("Daraja is away")),
      lock: new PostgresClusterLock(url),
      clock,
      everyMs: EVERY_MS,
    });
    await expect(failing.run()).rejects.toThrow("Daraja is away");
    const next = new C2bPullSchedule({
      pull: async () => ({ pulled: 0, recorded: 0 }),
      lock: new PostgresClusterLock(url),
      clock,
      everyMs: EVERY_MS,
    });
    expect(await next.run()).toEqual({ pulled: 0, recorded: 0 });
  });
});

describe("the C2B pull on a single instance (PGlite, or no database)", () => {
  it("pulls when due, and a second run while one is pulling skips", async () => {
    const clock = new ManualClock();
    const slow = aSlowPull();
    const lock = new LocalClusterLock();
    const a = new C2bPullSchedule({ pull: slow.pull, lock, clock, everyMs: EVERY_MS });
    const b = new C2bPullSchedule({ pull: slow.pull, lock, clock, everyMs: EVERY_MS });
    const { settledFirst } = await race(a, b, slow);
    expect(settledFirst).toBe("pulling elsewhere");
    expect(slow.calls).toBe(1);
    clock.advance(EVERY_MS);
    slow.held = false;
    expect(await a.run()).toEqual({ pulled: 3, recorded: 1 });
  });
});

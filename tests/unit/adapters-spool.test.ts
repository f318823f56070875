import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pathRedactor } from "../../src/adapters/http/redact-path.ts";
import { FileSpool, type ListedEntry } from "../../src/adapters/spool/file-spool.ts";
import type {
  QuarantineReason,
  SpoolObserver,
  SpoolRefusal,
} from "../../src/adapters/spool/spool-observer.ts";
import { SPOOL_REPLAY_HEADER } from "../../src/adapters/spool/spool-on-failure.ts";
import { MAX_REPLAY_FAILURES, SpoolReplayer } from "../../src/adapters/spool/spool-replayer.ts";
import { capturedLogger } from "../support/log-capture.ts";

const directories: string[] = [];
const aDirectory = () => {
  const directory = mkdtempSync(join(tmpdir(), "payme-spool-unit-"));
  directories.push(directory);
  return join(directory, "spool");
};
afterEach(() => {
  for (const directory of directories.splice(0)) {
    rmSync(directory, { recursive: true, force: true });
  }
});

const TOKEN = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2Fs";

const aCallback = (n: number, marker = "BODY-MARKER") => ({
  receivedAt: new Date().toISOString(),
  method: "POST",
  path: `/api/mpesa/callback/${TOKEN}`,
  contentType: "application/json",
  body: JSON.stringify({ n, marker }),
});

const idOf = (listed: ListedEntry) => (listed.readable ? listed.request.id : listed.id);

async function fill(spool: FileSpool, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n += 1) {
    const stored = await spool.append(aCallback(n));
    if (!stored.stored) {
      throw new Error("the spool refused an entry");
    }
    ids.push(stored.entry.id);
  }
  return ids;
}

/** Counts what the spool reports, as the metrics do. */
class CountingObserver implements SpoolObserver {
  readonly counts = {
    spooled: 0,
    replayed: 0,
    refused: [] as SpoolRefusal[],
    quarantined: [] as QuarantineReason[],
  };
  spooled(): void {
    this.counts.spooled += 1;
  }
  refused(reason: SpoolRefusal): void {
    this.counts.refused.push(reason);
  }
  replayed(): void {
    this.counts.replayed += 1;
  }
  quarantined(reason: QuarantineReason): void {
    this.counts.quarantined.push(reason);
  }
}

/** A spool that remembers how many entries each `list` was allowed to read. */
class ObservedSpool extends FileSpool {
  readonly limits: number[] = [];
  override list(options: { readonly limit: number; readonly after?: string }): Promise<ListedEntry[]> {
    this.limits.push(options.limit);
    return super.list(options);
  }
}

describe("FileSpool", () => {
  it("lists the oldest entries first, a bounded page at a time, after a cursor", async () => {
    const spool = new FileSpool(aDirectory());
    const ids = await fill(spool, 5);
    const first = await spool.list({ limit: 2 });
    expect(first.map(idOf)).toEqual(ids.slice(0, 2));
    const next = await spool.list({ limit: 2, after: ids[1] });
    expect(next.map(idOf)).toEqual(ids.slice(2, 4));
    expect((await spool.list({ limit: 10, after: ids[4] })).length).toBe(0);
  });

  it("refuses an entry that would take it past its bound, and takes entries again once there is room", async () => {
    const directory = aDirectory();
    const size = Buffer.byteLength(
      JSON.stringify({ id: `${"0".repeat(15)}-${"0".repeat(6)}-${"0".repeat(36)}`, ...aCallback(1) }),
    );
    const spool = new FileSpool(directory, size * 3);
    const ids = await fill(spool, 3);
    expect(await spool.append(aCallback(4))).toEqual({ stored: false });
    expect(readdirSync(directory).filter((name) => name.endsWith(".json"))).toHaveLength(3);
    expect(await spool.currentUsage()).toEqual({
      waiting: { entries: 3, bytes: size * 3 },
      quarantined: { entries: 0, bytes: 0 },
    });
    await spool.remove(ids[0] ?? "");
    expect(await spool.append(aCallback(5))).toMatchObject({ stored: true });
  });

  it("counts quarantined entries against the bound, and measures what a previous run left", async () => {
    const directory = aDirectory();
    const spool = new FileSpool(directory);
    const ids = await fill(spool, 3);
    await spool.quarantine(ids[0] ?? "");
    const usage = await spool.currentUsage();
    expect(usage.waiting.entries).toBe(2);
    expect(usage.quarantined.entries).toBe(1);
    // A crash mid-write leaves a temporary file: never acknowledged, it is cleared at the next start.
    writeFileSync(join(directory, "000000000000001-crashed.tmp"), "{half");
    const restarted = new FileSpool(directory, usage.waiting.bytes + usage.quarantined.bytes);
    expect(await restarted.currentUsage()).toEqual(usage);
    expect(readdirSync(directory).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    expect(await restarted.append(aCallback(9))).toEqual({ stored: false });
    expect((await restarted.list({ limit: 10 })).map(idOf)).toEqual(ids.slice(1));
  });

  it("keeps an entry's failed replays in the entry itself, across restarts", async () => {
    const directory = aDirectory();
    const spool = new FileSpool(directory);
    await fill(spool, 1);
    const [listed] = await spool.list({ limit: 1 });
    if (listed === undefined || !listed.readable) {
      throw new Error("no entry");
    }
    expect(await spool.recordFailure(listed.request)).toBe(1);
    const [again] = await new FileSpool(directory).list({ limit: 1 });
    expect(again?.readable && again.request.failures).toBe(1);
  });

  it("lists a file that is not a spooled request as unreadable", async () => {
    const directory = aDirectory();
    const spool = new FileSpool(directory);
    await fill(spool, 1);
    writeFileSync(join(directory, "000000000000000-garbage.json"), "not json");
    const listed = await new FileSpool(directory).list({ limit: 10 });
    expect(listed[0]).toEqual({ readable: false, id: "000000000000000-garbage" });
    expect(listed[1]?.readable).toBe(true);
  });
});

describe("SpoolReplayer", () => {
  const replayerOf = (
    spool: FileSpool,
    answer: (body: { n: number }) => number,
    options: { ready?: () => boolean; batchSize?: number; perRound?: number } = {},
  ) => {
    const log = capturedLogger();
    const observer = new CountingObserver();
    const seen: { n: number; header: string | null; path: string }[] = [];
    const replayer = new SpoolReplayer({
      spool,
      handle: async (request) => {
        const body = (await request.json()) as { n: number };
        seen.push({
          n: body.n,
          header: request.headers.get(SPOOL_REPLAY_HEADER),
          path: new URL(request.url).pathname,
        });
        const status = answer(body);
        return new Response(JSON.stringify({ status }), { status });
      },
      isReady: async () => options.ready?.() ?? true,
      logger: log.logger,
      observer,
      redactPath: pathRedactor([]),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(options.perRound === undefined ? {} : { perRound: options.perRound }),
    });
    return { replayer, log, observer, seen };
  };

  it("replays through the routes, oldest first, in bounded batches and a bounded number per round", async () => {
    const spool = new ObservedSpool(aDirectory());
    await fill(spool, 25);
    const { replayer, seen, observer } = replayerOf(spool, () => 200, { batchSize: 4, perRound: 10 });
    expect(await replayer.replay()).toEqual({ replayed: 10, quarantined: 0, waiting: 15 });
    expect(seen.map((s) => s.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen[0]).toMatchObject({ path: `/api/mpesa/callback/${TOKEN}`, header: expect.any(String) });
    expect(Math.max(...spool.limits)).toBe(4);
    expect(await replayer.replay()).toEqual({ replayed: 10, quarantined: 0, waiting: 5 });
    expect(await replayer.replay()).toEqual({ replayed: 5, quarantined: 0, waiting: 0 });
    expect(observer.counts.replayed).toBe(25);
  });

  it("quarantines an entry on its 10th failure while the database answers, logs it once, and goes on with the rest", async () => {
    const directory = aDirectory();
    const spool = new FileSpool(directory);
    await fill(spool, 3);
    // Entry 1 fails every time; the others are applied in the first round.
    const { replayer, log, observer } = replayerOf(spool, (body) => (body.n === 1 ? 500 : 200));
    for (let round = 1; round < MAX_REPLAY_FAILURES; round += 1) {
      expect(await replayer.replay()).toEqual({ replayed: round === 1 ? 2 : 0, quarantined: 0, waiting: 1 });
    }
    expect(await replayer.replay()).toEqual({ replayed: 0, quarantined: 1, waiting: 0 });
    // Never tried again.
    expect(await replayer.replay()).toEqual({ replayed: 0, quarantined: 0, waiting: 0 });
    expect(readdirSync(join(directory, "quarantine"))).toHaveLength(1);
    expect(observer.counts.quarantined).toEqual(["failing"]);

    const quarantined = log.lines().filter((line) => line.includes("quarantined"));
    expect(quarantined).toHaveLength(1);
    expect(JSON.parse(quarantined[0] ?? "{}")).toMatchObject({
      level: "error",
      reason: "failing",
      failures: MAX_REPLAY_FAILURES,
      status: 500,
      path: "/api/mpesa/callback/[token]",
    });
    const all = log.lines().join("\n");
    expect(all).not.toContain("BODY-MARKER");
    expect(all).not.toContain(TOKEN);
    // The quarantined file is the callback as it arrived, for a person to look at.
    const [name] = readdirSync(join(directory, "quarantine"));
    expect(JSON.parse(readFileSync(join(directory, "quarantine", name ?? ""), "utf8"))).toMatchObject({
      body: JSON.stringify({ n: 1, marker: "BODY-MARKER" }),
      failures: MAX_REPLAY_FAILURES,
    });
  });

  it("does not count a failure while the database is away: the round stops, and the entry waits", async () => {
    const spool = new FileSpool(aDirectory());
    await fill(spool, 2);
    let ready = true;
    const { replayer, seen } = replayerOf(
      spool,
      () => {
        // The database goes away while the entry is being applied.
        ready = false;
        return 500;
      },
      { ready: () => ready },
    );
    for (let round = 0; round < MAX_REPLAY_FAILURES * 2; round += 1) {
      ready = true;
      expect(await replayer.replay()).toEqual({ replayed: 0, quarantined: 0, waiting: 2 });
    }
    // One try per round (the round stopped at the first), and nothing counted against either entry.
    expect(seen).toHaveLength(MAX_REPLAY_FAILURES * 2);
    for (const listed of await spool.list({ limit: 10 })) {
      expect(listed.readable && listed.request.failures).toBeUndefined();
    }
  });

  it("tries nothing while the database is away", async () => {
    const spool = new FileSpool(aDirectory());
    await fill(spool, 2);
    const { replayer, seen } = replayerOf(spool, () => 200, { ready: () => false });
    expect(await replayer.replay()).toEqual({ replayed: 0, quarantined: 0, waiting: 2 });
    expect(seen).toEqual([]);
  });

  it("quarantines at once, instead of dropping, an entry its route refuses or a file that is no entry", async () => {
    const directory = aDirectory();
    const spool = new FileSpool(directory);
    await fill(spool, 2);
    writeFileSync(join(directory, "000000000000000-garbage.json"), "not json");
    const { replayer, observer, log } = replayerOf(spool, (body) => (body.n === 0 ? 400 : 200));
    expect(await replayer.replay()).toEqual({ replayed: 1, quarantined: 2, waiting: 0 });
    expect(observer.counts.quarantined.sort()).toEqual(["refused", "unreadable"]);
    expect(readdirSync(join(directory, "quarantine"))).toHaveLength(2);
    expect(log.lines().filter((line) => line.includes("quarantined"))).toHaveLength(2);
  });
});

import { randomUUID } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";

/** A request the server could not process, kept to be replayed: the raw callback as it arrived. */
export type SpooledRequest = {
  readonly id: string;
  readonly receivedAt: string;
  readonly method: string;
  /** The path as requested, token included (the spool is readable by its owner only). */
  readonly path: string;
  readonly contentType: string | null;
  readonly body: string;
  /** Replays that failed while the database answered (absent in entries written before it was counted). */
  readonly failures?: number;
};

/** An entry as listed: readable, or a file that is not a spooled request (to be quarantined). */
export type ListedEntry =
  | { readonly readable: true; readonly request: SpooledRequest }
  | { readonly readable: false; readonly id: string };

/** How many entries wait, and how many are quarantined, and their bytes on disk. */
export type SpoolUsage = {
  readonly waiting: { readonly entries: number; readonly bytes: number };
  readonly quarantined: { readonly entries: number; readonly bytes: number };
};

const QUARANTINE = "quarantine";
const ENTRY = ".json";
const TEMPORARY = ".tmp";

/**
 * A durable, bounded on-disk queue of requests, one file each under `directory` (mode 0700, files 0600).
 * - A file is written under a temporary name, flushed to disk, then renamed, so that a crash never leaves half an
 *   entry; `append` resolves only once the entry would survive a power cut.
 * - The spool holds at most `maxBytes`, waiting and quarantined entries together: an entry that would pass the
 *   bound is refused (`full`), never written. A person empties the quarantine folder (`<directory>/quarantine`).
 * - Entries are listed oldest first, in bounded pages, so that a spool grown during a long outage is never read
 *   into memory at once.
 */
export class FileSpool {
  private ready: Promise<void> | null = null;
  private readonly usage = {
    waiting: { entries: 0, bytes: 0 },
    quarantined: { entries: 0, bytes: 0 },
  };
  /** Bytes of each waiting entry, by id. */
  private readonly sizes = new Map<string, number>();
  private sequence = 0;

  constructor(
    private readonly directory: string,
    private readonly maxBytes: number = Number.POSITIVE_INFINITY,
  ) {}

  get quarantineDirectory(): string {
    return join(this.directory, QUARANTINE);
  }

  /** Writes the entry durably, or refuses it when it would take the spool past its bound. */
  async append(
    request: Omit<SpooledRequest, "id" | "failures">,
  ): Promise<{ readonly stored: true; readonly entry: SpooledRequest } | { readonly stored: false }> {
    await this.ensureReady();
    // Ids sort in arrival order: by time, then by a counter for entries of the same millisecond.
    this.sequence = (this.sequence + 1) % 1_000_000;
    const entry: SpooledRequest = {
      id: `${Date.now().toString().padStart(15, "0")}-${this.sequence.toString().padStart(6, "0")}-${randomUUID()}`,
      ...request,
    };
    const text = JSON.stringify(entry);
    const bytes = Buffer.byteLength(text);
    if (this.usedBytes() + bytes > this.maxBytes) {
      return { stored: false };
    }
    // Counted before the write, so that appends running at once cannot together pass the bound.
    this.usage.waiting.entries += 1;
    this.usage.waiting.bytes += bytes;
    this.sizes.set(entry.id, bytes);
    try {
      await this.writeDurably(entry.id, text);
    } catch (error) {
      this.forget(entry.id);
      throw error;
    }
    return { stored: true, entry };
  }

  /** Up to `limit` waiting entries, oldest first, after the entry `after` (exclusive) when given. */
  async list(options: { readonly limit: number; readonly after?: string }): Promise<ListedEntry[]> {
    await this.ensureReady();
    const ids = (await this.entryIds(this.directory))
      .filter((id) => options.after === undefined || id > options.after)
      .slice(0, options.limit);
    const entries: ListedEntry[] = [];
    for (const id of ids) {
      const entry = await this.read(id);
      if (entry !== null) {
        entries.push(entry);
      }
    }
    return entries;
  }

  async remove(id: string): Promise<void> {
    await this.ensureReady();
    await rm(this.fileOf(id), { force: true });
    this.forget(id);
  }

  /** Counts a failed replay in the entry itself; answers the failures so far. */
  async recordFailure(entry: SpooledRequest): Promise<number> {
    await this.ensureReady();
    const failures = (entry.failures ?? 0) + 1;
    const text = JSON.stringify({ ...entry, failures });
    await this.writeDurably(entry.id, text);
    const bytes = Buffer.byteLength(text);
    this.usage.waiting.bytes += bytes - (this.sizes.get(entry.id) ?? bytes);
    this.sizes.set(entry.id, bytes);
    return failures;
  }

  /** Moves an entry to the quarantine folder, where it is never replayed; its bytes still count. */
  async quarantine(id: string): Promise<void> {
    await this.ensureReady();
    const name = `${id}${ENTRY}`;
    await rename(this.fileOf(id), join(this.quarantineDirectory, name));
    await syncDirectory(this.quarantineDirectory);
    await syncDirectory(this.directory);
    const bytes = this.sizes.get(id) ?? (await stat(join(this.quarantineDirectory, name))).size;
    this.forget(id);
    this.usage.quarantined.entries += 1;
    this.usage.quarantined.bytes += bytes;
  }

  async currentUsage(): Promise<SpoolUsage> {
    await this.ensureReady();
    return {
      waiting: { ...this.usage.waiting },
      quarantined: { ...this.usage.quarantined },
    };
  }

  private usedBytes(): number {
    return this.usage.waiting.bytes + this.usage.quarantined.bytes;
  }

  private forget(id: string): void {
    const bytes = this.sizes.get(id);
    if (bytes !== undefined) {
      this.sizes.delete(id);
      this.usage.waiting.entries -= 1;
      this.usage.waiting.bytes -= bytes;
    }
  }

  /** The entry, or null when its file is gone (removed since the folder was read). */
  private async read(id: string): Promise<ListedEntry | null> {
    let text: string;
    try {
      text = await readFile(this.fileOf(id), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        return null;
      }
      throw error;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      return isSpooledRequest(parsed, id) ? { readable: true, request: parsed } : { readable: false, id };
    } catch {
      // Not JSON: a file someone put there, or one a failing disk damaged. It goes to quarantine.
      return { readable: false, id };
    }
  }

  private async writeDurably(id: string, text: string): Promise<void> {
    const temporary = join(this.directory, `${id}${TEMPORARY}`);
    const file = await open(temporary, "w", 0o600);
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.fileOf(id));
    await syncDirectory(this.directory);
  }

  private fileOf(id: string): string {
    return join(this.directory, `${id}${ENTRY}`);
  }

  /** The ids of the entries in a directory, oldest first (ids start with their time). */
  private async entryIds(directory: string): Promise<string[]> {
    const names = await readdir(directory);
    return names
      .filter((name) => name.endsWith(ENTRY))
      .map((name) => name.slice(0, -ENTRY.length))
      .sort();
  }

  /**
   * Creates the folders, and measures what a previous run left: the bound holds across restarts. Temporary files
   * are the remains of writes a crash interrupted, never acknowledged: they are removed.
   */
  private ensureReady(): Promise<void> {
    this.ready ??= (async () => {
      await mkdir(this.quarantineDirectory, { recursive: true, mode: 0o700 });
      for (const name of await readdir(this.directory)) {
        if (name.endsWith(TEMPORARY)) {
          await rm(join(this.directory, name), { force: true });
        }
      }
      for (const id of await this.entryIds(this.directory)) {
        const { size } = await stat(this.fileOf(id));
        this.sizes.set(id, size);
        this.usage.waiting.entries += 1;
        this.usage.waiting.bytes += size;
      }
      for (const id of await this.entryIds(this.quarantineDirectory)) {
        const { size } = await stat(join(this.quarantineDirectory, `${id}${ENTRY}`));
        this.usage.quarantined.entries += 1;
        this.usage.quarantined.bytes += size;
      }
    })();
    // A failed start (a disk error) is tried again by the next call instead of being remembered for ever.
    this.ready.catch(() => {
      this.ready = null;
    });
    return this.ready;
  }
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isSpooledRequest(value: unknown, id: string): value is SpooledRequest {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const entry = value as Record<string, unknown>;
  return (
    entry.id === id &&
    typeof entry.method === "string" &&
    typeof entry.path === "string" &&
    typeof entry.body === "string" &&
    (entry.contentType === null || typeof entry.contentType === "string") &&
    (entry.failures === undefined || typeof entry.failures === "number")
  );
}

import { randomUUID } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
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
};

/**
 * A durable on-disk queue of requests, one file each under `directory` (mode 0700, files 0600). A file is written
 * under a temporary name, flushed to disk, then renamed, so that a crash never leaves half an entry; `append`
 * resolves only once the entry would survive a power cut.
 */
export class FileSpool {
  private ready: Promise<void> | null = null;

  constructor(private readonly directory: string) {}

  async append(request: Omit<SpooledRequest, "id">): Promise<SpooledRequest> {
    await this.ensureDirectory();
    const entry: SpooledRequest = {
      id: `${Date.now().toString().padStart(15, "0")}-${randomUUID()}`,
      ...request,
    };
    const temporary = join(this.directory, `${entry.id}.tmp`);
    const file = await open(temporary, "wx", 0o600);
    try {
      await file.writeFile(JSON.stringify(entry));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, join(this.directory, `${entry.id}.json`));
    const directory = await open(this.directory, "r");
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
    return entry;
  }

  /** The entries waiting, oldest first. */
  async list(): Promise<SpooledRequest[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        return [];
      }
      throw error;
    }
    const entries: SpooledRequest[] = [];
    for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
      entries.push(JSON.parse(await readFile(join(this.directory, name), "utf8")) as SpooledRequest);
    }
    return entries;
  }

  async remove(id: string): Promise<void> {
    await rm(join(this.directory, `${id}.json`), { force: true });
  }

  private ensureDirectory(): Promise<void> {
    this.ready ??= mkdir(this.directory, { recursive: true, mode: 0o700 }).then(() => undefined);
    return this.ready;
  }
}

import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../processes.ts";

const run = promisify(execFile);

/** Where initdb and pg_ctl live (PG_BIN overrides: another PostgreSQL version, another distribution). */
const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

/** True when this machine can make a private cluster: initdb and pg_ctl are where PG_BIN says. */
export function canCreatePrivateCluster(): boolean {
  return existsSync(join(PG_BIN, "initdb")) && existsSync(join(PG_BIN, "pg_ctl"));
}

/**
 * A PostgreSQL cluster of the drill's own, made with initdb in a temporary directory and listening on a free
 * loopback port, so that a drill can stop and start the database under a running server without touching the
 * shared one. initdb and postgres refuse to run as root: as root, they run as the `postgres` user.
 */
export type PrivateCluster = {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication). */
  readonly url: string;
  start(): Promise<void>;
  /** `immediate` is a crash as far as clients can tell: no goodbye, connections cut. */
  stop(mode: "fast" | "immediate"): Promise<void>;
  /** Stops it if it runs, and deletes its directory. */
  remove(): Promise<void>;
};

export async function createPrivateCluster(): Promise<PrivateCluster> {
  const directory = mkdtempSync(join(tmpdir(), "payme-drill-pg-"));
  const dataDir = join(directory, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = await postgresUser();
    chownSync(directory, uid, gid);
  }
  const pg = (tool: string, args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", join(PG_BIN, tool), ...args])
      : run(join(PG_BIN, tool), args);
  const port = await freePort();
  let running = false;
  const pgCtl = (...args: string[]) => pg("pg_ctl", ["-D", dataDir, "-w", "-t", "60", ...args]);

  const cluster: PrivateCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: async () => {
      await pgCtl(
        "-l",
        join(directory, "postgres.log"),
        "-o",
        `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1`,
        "start",
      );
      running = true;
    },
    stop: async (mode) => {
      await pgCtl("-m", mode, "stop");
      running = false;
    },
    remove: async () => {
      if (running) {
        await cluster.stop("immediate");
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
  try {
    await pg("initdb", ["-D", dataDir, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"]);
    await cluster.start();
  } catch (error) {
    await cluster.remove();
    throw new Error(
      `could not create a private PostgreSQL cluster with ${PG_BIN}: ${(error as Error).message}`,
    );
  }
  return cluster;
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run("id", ["-u", "postgres"]), run("id", ["-g", "postgres"])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminUrl, scratchDatabase } from "../postgres.ts";
import {
  type PayMeProcess,
  type SimulatorProcess,
  startPayMeProcess,
  startSimulatorProcess,
} from "../processes.ts";

/**
 * What one drill runs against: its own database, its own simulator (which never calls back by itself: the drill
 * delivers every callback) and its own PayMe server process, whose data directory (the spool) the stage owns,
 * so that a restarted server finds it where the crashed one left it.
 */
export type Stage = {
  readonly databaseUrl: string;
  readonly simulator: SimulatorProcess;
  /** The server now running: `restart` replaces it. */
  readonly payme: PayMeProcess;
  /** Starts the server again on the same port, data directory and database (after `crash` or `stop`). */
  restart(): Promise<PayMeProcess>;
  /** Callbacks waiting in the spool under the data directory. */
  spooled(): number;
  /** Callbacks the spool gave up on (moved to its quarantine folder). */
  quarantined(): number;
};

export type StageOptions = {
  /** The PostgreSQL server to make the scratch database on; DATABASE_URL or the local one by default. */
  readonly admin?: string;
  /** Scratch database name prefix (tests use theirs, so that the run's teardown finds leftovers). */
  readonly prefix?: string;
  /** Run on this database instead of a scratch one; the caller owns it. */
  readonly databaseUrl?: string;
  readonly env?: Record<string, string>;
};

/**
 * Drills deliver callbacks themselves: the reconciler must not settle payments by STK Query behind their back,
 * but its spool replay should come round often.
 */
export const DRILL_ENV = { RECONCILE_AFTER_SECONDS: "3600", RECONCILE_INTERVAL_SECONDS: "0.5" };

/** Runs `drill` on a fresh stage, and takes the stage down afterwards, whether the drill passed, failed or threw. */
export async function onStage<T>(options: StageOptions, drill: (stage: Stage) => Promise<T>): Promise<T> {
  const scratch =
    options.databaseUrl === undefined
      ? await scratchDatabase(options.admin ?? adminUrl(), options.prefix ?? "payme_drill")
      : null;
  const databaseUrl = options.databaseUrl ?? scratch?.url ?? "";
  const dataDir = mkdtempSync(join(tmpdir(), "payme-drill-"));
  let simulator: SimulatorProcess | null = null;
  let payme: PayMeProcess | null = null;
  try {
    const sim = await startSimulatorProcess();
    simulator = sim;
    const env = { ...DRILL_ENV, ...options.env };
    const first = await startPayMeProcess({ databaseUrl, simulatorUrl: sim.url, dataDir, env });
    payme = first;
    const stage: Stage = {
      databaseUrl,
      simulator: sim,
      get payme() {
        return payme ?? first;
      },
      restart: async () => {
        payme = await startPayMeProcess({
          databaseUrl,
          simulatorUrl: sim.url,
          dataDir,
          port: first.port,
          env,
        });
        return payme;
      },
      spooled: () => spooledIn(join(dataDir, "spool")),
      quarantined: () => spooledIn(join(dataDir, "spool", "quarantine")),
    };
    return await drill(stage);
  } finally {
    // The database is dropped next: no need to wait for a graceful shutdown.
    await payme?.crash();
    await simulator?.stop();
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function spooledIn(directory: string): number {
  try {
    return readdirSync(directory).filter((name) => name.endsWith(".json")).length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return 0;
    }
    throw error;
  }
}

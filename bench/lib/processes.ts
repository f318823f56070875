import { type ChildProcess, fork, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CheckoutView } from "../../src/adapters/daraja-simulator/daraja-simulator.ts";
import type { SimulatorQuestion, SimulatorReply } from "./simulator-child.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** `npm start` as package.json has it, split into node's flags and the entry point, so that runs start it alike. */
function startCommand(): { readonly flags: string[]; readonly entry: string } {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    scripts: { start: string };
  };
  const [, ...args] = scripts.start.trim().split(/\s+/);
  const entry = args.pop();
  if (entry === undefined) {
    throw new Error(`cannot read the server's command from "${scripts.start}"`);
  }
  return { flags: args, entry };
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value, or fails with `what` after `timeoutMs`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(50);
  }
}

/** Peak and current resident memory of a process, in MB, from /proc (Linux). */
export function memoryOf(pid: number): { peakRssMb: number; rssMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? "0");
    return { peakRssMb: kb("VmHWM") / 1024, rssMb: kb("VmRSS") / 1024 };
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system) a process has used so far, in seconds, from /proc (Linux; clock ticks of 10 ms).
 * Divided by the requests served, it is a figure that another busy process on the machine hardly moves.
 */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

export type SimulatorProcess = {
  readonly url: string;
  readonly pid: number;
  /** The checkouts with these ids, with their unredacted callback URLs. */
  checkouts(ids: readonly string[]): Promise<readonly CheckoutView[]>;
  /** Has the simulator settle a checkout (and call back) now. */
  settle(checkoutRequestId: string): Promise<CheckoutView | null>;
  stop(): Promise<void>;
};

/**
 * The Daraja simulator in its own process. `delayMs` is how long it waits before calling back by itself:
 * the default (10 minutes) leaves every callback to whoever drives the run.
 */
export async function startSimulatorProcess(options: { delayMs?: number } = {}): Promise<SimulatorProcess> {
  const child = fork(join(ROOT, "bench/lib/simulator-child.ts"), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, SIMULATOR_DELAY_MS: String(options.delayMs ?? 600_000) },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  let nextId = 1;
  const waiting = new Map<number, (reply: SimulatorReply) => void>();
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the simulator process exited with ${code}`)));
    child.on("message", (raw) => {
      const reply = raw as SimulatorReply;
      if ("type" in reply) {
        resolve(reply.url);
      } else {
        waiting.get(reply.id)?.(reply);
        waiting.delete(reply.id);
      }
    });
  });
  const ask = (request: SimulatorQuestion) =>
    new Promise<SimulatorReply>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.send({ ...request, id });
    });
  return {
    url,
    pid: child.pid ?? 0,
    checkouts: async (ids) => {
      const reply = await ask({ type: "checkouts", ids });
      return "checkouts" in reply ? (reply.checkouts ?? []) : [];
    },
    settle: async (checkoutRequestId) => {
      const reply = await ask({ type: "settle", checkoutRequestId });
      return "checkout" in reply ? (reply.checkout ?? null) : null;
    },
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

export type PayMeProcess = {
  readonly baseUrl: string;
  readonly port: number;
  readonly pid: number;
  readonly dataDir: string;
  /** What the server wrote to stderr, and the last of its stdout. */
  output(): string;
  /** Peak resident memory so far, in MB. */
  peakRssMb(): number;
  /** CPU time used so far, in seconds. */
  cpuSeconds(): number;
  /** SIGTERM, and wait for a clean exit. */
  stop(): Promise<void>;
  /** kill -9: no shutdown at all. */
  crash(): Promise<void>;
  /** Removes its data directory (the spool, development secrets) unless one was given. */
  cleanup(): void;
};

/**
 * `npm start`'s server (its command and node flags) in a child process, on PostgreSQL at `databaseUrl` (or PGlite), talking to the simulator at
 * `simulatorUrl`, with the sign-in rate limits and the push limits raised so that a load test measures the server, not its limits, and its log
 * at the default level (info), as in production.
 * `dataDir` and `port` let a restart find the spool and the callback URL where they were.
 */
export async function startPayMeProcess(options: {
  /** Null: the embedded PGlite in its data directory, as `npm start` without DATABASE_URL. */
  readonly databaseUrl: string | null;
  readonly simulatorUrl: string;
  readonly port?: number;
  readonly dataDir?: string;
  readonly env?: Record<string, string>;
  /** Extra node flags, such as --cpu-prof for a profile of the server under load. */
  readonly nodeFlags?: readonly string[];
  /** How long it may take to be ready (60 s unless said; a first start on PGlite runs initdb). */
  readonly readyTimeoutMs?: number;
}): Promise<PayMeProcess> {
  const port = options.port ?? (await freePort());
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "payme-bench-"));
  const baseUrl = `http://127.0.0.1:${port}`;
  const start = startCommand();
  const { DATABASE_URL: _ours, ...inherited } = process.env;
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...start.flags, start.entry], {
    cwd: ROOT,
    env: {
      ...inherited,
      PORT: String(port),
      DATA_DIR: dataDir,
      ...(options.databaseUrl === null ? {} : { DATABASE_URL: options.databaseUrl }),
      MPESA_ENV: "simulator",
      MPESA_BASE_URL: options.simulatorUrl,
      MPESA_CALLBACK_URL: `${baseUrl}/api/mpesa/callback`,
      AUTH_RATE_LIMIT_PER_ADDRESS: "1000000000",
      AUTH_RATE_LIMIT_PER_ACCOUNT_ADDRESS: "100000000",
      AUTH_RATE_LIMIT_PER_ACCOUNT: "1000000000",
      PUSHES_PER_PHONE: "1000000000",
      WALLET_PUSHES_PER_HOUR: "1000000000",
      VERIFY_PUSHES_PER_HOUR: "1000000000",
      BUSINESS_PUSHES_PER_MINUTE: "1000000000",
      MAX_BUSINESSES_PER_USER: "1000000",
      ALLOW_UNVERIFIED_PAYMENT_CONFIG: "true",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout = (stdout + chunk.toString()).slice(-20_000);
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const output = () => `${stderr}${stdout}`;
  let peak = 0;
  const pid = child.pid ?? 0;
  const sample = setInterval(() => {
    peak = Math.max(peak, memoryOf(pid)?.peakRssMb ?? 0);
  }, 250);
  sample.unref();
  child.once("exit", () => clearInterval(sample));

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`PayMe exited with ${child.exitCode}: ${output()}`);
    }
    const healthy = await fetch(`${baseUrl}/ready`)
      .then((response) => response.ok)
      .catch(() => false);
    if (healthy) {
      break;
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`PayMe did not become ready: ${output()}`);
    }
    await sleep(100);
  }
  return {
    baseUrl,
    port,
    pid,
    dataDir,
    output,
    peakRssMb: () => Math.max(peak, memoryOf(pid)?.peakRssMb ?? 0),
    cpuSeconds: () => cpuSecondsOf(pid),
    stop: () => stopChild(child),
    crash: () => stopChild(child, "SIGKILL"),
    cleanup: () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
      }
      if (ownDataDir) {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

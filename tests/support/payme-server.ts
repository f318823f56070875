import { type ServerType, serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { DependencyContainer } from "tsyringe";
import { afterAll, beforeAll } from "vitest";
import { createDarajaSimulator } from "../../src/adapters/daraja-simulator/create-daraja-simulator.ts";
import type {
  DarajaSimulator,
  DarajaSimulatorOptions,
  ListeningSimulator,
} from "../../src/adapters/daraja-simulator/daraja-simulator.ts";
import { DEVELOPMENT_WALLET_PASSKEY } from "../../src/adapters/daraja-simulator/simulator-credentials.ts";
import type { HttpEnv } from "../../src/adapters/http/http-env.ts";
import type { Database } from "../../src/adapters/persistence/database.ts";
import { resolve, SERVICES } from "../../src/main/tokens.ts";
import { freePort } from "./server-process.ts";
import { testApp } from "./test-app.ts";
import { openTestDatabase, type TestDatabaseKind } from "./test-database.ts";

export type RunningPayMe = {
  readonly baseUrl: string;
  readonly app: Hono<HttpEnv>;
  readonly container: DependencyContainer;
  readonly logLines: () => string[];
  /** Stops serving and waits for background work, as a shutdown would; the database stays open. */
  stop(): Promise<void>;
};

/** A Daraja simulator listening on loopback, for a test. */
export async function startSimulator(
  options: DarajaSimulatorOptions = {},
): Promise<{ simulator: DarajaSimulator; listening: ListeningSimulator }> {
  const simulator = createDarajaSimulator({ delayMs: 50, ...options });
  return { simulator, listening: await simulator.listen(0) };
}

/**
 * PayMe served over real HTTP on a free port (so the simulator can call it back), on the given database,
 * talking to the given simulator. `port` lets a test restart PayMe where it was.
 */
export async function startPayMe(options: {
  database: Database;
  simulatorUrl: string;
  port?: number;
  env?: Record<string, string>;
  override?: (container: DependencyContainer) => void;
  /** Runs the background reconciler, as the server does. */
  reconciler?: boolean;
}): Promise<RunningPayMe> {
  const port = options.port ?? (await freePort());
  const built = testApp({
    database: options.database,
    env: { MPESA_CALLBACK_URL: `http://127.0.0.1:${port}/api/mpesa/callback`, ...options.env },
    daraja: {
      baseUrl: options.simulatorUrl,
      consumerKey: "test-key",
      consumerSecret: "test-secret",
      walletPasskey: DEVELOPMENT_WALLET_PASSKEY,
      stop: async () => undefined,
    },
    ...(options.override === undefined ? {} : { override: options.override }),
  });
  const reconciler = resolve(built.container, SERVICES.reconciler);
  if (options.reconciler === true) {
    reconciler.start();
  }
  const server: ServerType = await new Promise((ready) => {
    const started = serve({ fetch: built.app.fetch, port, hostname: "127.0.0.1" }, () => ready(started));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app: built.app,
    container: built.container,
    logLines: built.logLines,
    stop: async () => {
      await reconciler.stop();
      await new Promise<void>((done) => {
        server.close(() => done());
        if ("closeAllConnections" in server) {
          server.closeAllConnections();
        }
      });
      await resolve(built.container, SERVICES.background).drain();
      await resolve(built.container, SERVICES.closeDaraja)();
    },
  };
}

export type PayMeSuite = {
  readonly database: Database;
  readonly simulator: DarajaSimulator;
  readonly payme: RunningPayMe;
};

/**
 * The stage most integration suites share: a fresh database, a simulator that calls back after `delayMs`, and
 * PayMe on both, started before the calling describe block's tests and taken down after them. Its fields can be
 * read once the block has started: in hooks and tests.
 */
export function payMeSuite(options: {
  readonly delayMs: number;
  readonly env?: Record<string, string>;
  /** The database to run on; by default the run's own (PostgreSQL when there is one). */
  readonly database?: TestDatabaseKind;
  /** Registers other adapters (a fixed clock, say) before anything is resolved. */
  readonly override?: (container: DependencyContainer) => void;
}): PayMeSuite {
  let started: { database: Database; drop: () => Promise<void>; listening: ListeningSimulator } | null = null;
  let running: PayMeSuite | null = null;
  beforeAll(async () => {
    const { database, drop } = await openTestDatabase(options.database);
    const { simulator, listening } = await startSimulator({ delayMs: options.delayMs });
    started = { database, drop, listening };
    const payme = await startPayMe({
      database,
      simulatorUrl: listening.url,
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.override === undefined ? {} : { override: options.override }),
    });
    running = { database, simulator, payme };
  });
  afterAll(async () => {
    await running?.payme.stop();
    await started?.listening.close();
    await started?.drop();
  });
  const get = (): PayMeSuite => {
    if (running === null) {
      throw new Error("the suite's PayMe is not running: use it in a hook or a test");
    }
    return running;
  };
  return {
    get database() {
      return get().database;
    },
    get simulator() {
      return get().simulator;
    },
    get payme() {
      return get().payme;
    },
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error("the condition was not met in time");
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Sets up a payment config through the API and verifies it with a paid KES 1 push; returns the config id. */
export async function verifiedConfig(
  payme: RunningPayMe,
  token: string,
  config: Record<string, unknown>,
): Promise<string> {
  const request = (path: string, body: unknown) =>
    payme.app.request(path, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    });
  const setUp = await request("/api/payment-config/setup", config);
  if (setUp.status !== 201) {
    throw new Error(`setup failed: ${await setUp.text()}`);
  }
  const { config: created } = (await setUp.json()) as { config: { id: string; businessId: string } };
  await request("/api/payment-config/verify", { businessId: created.businessId, phone: "0712345678" });
  await eventually(async () => {
    const response = await payme.app.request(`/api/payment-config?businessId=${created.businessId}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const { config: current } = (await response.json()) as { config: { verified: boolean } };
    return current.verified ? true : undefined;
  });
  return created.id;
}

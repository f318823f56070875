import type { ServerType } from "@hono/node-server";
import { serve } from "@hono/node-server";
import { answerClientError } from "../adapters/http/client-error.ts";
import { createLogger, type Logger } from "../adapters/logging/logger.ts";
import { Database } from "../adapters/persistence/database.ts";
import { describeConfigIssues, loadConfig } from "./config.ts";
import { buildContainer } from "./container.ts";
import { connectDaraja } from "./daraja-connection.ts";
import { loadSecrets } from "./development-secrets.ts";
import { resolve, SERVICES } from "./tokens.ts";

/**
 * How long the shutdown may take once the drain is over: requests in flight finish, the reconciler hands back
 * its claims, background work ends. Past it, connections are cut and the process exits anyway.
 */
const SHUTDOWN_GRACE_MS = 10_000;
/** Within the grace period, how long requests in flight get before their connections are cut. */
const IN_FLIGHT_GRACE_MS = 8_000;

/** Prints one line (no stack trace) and exits non-zero: for start-up errors a person must fix. */
function refuseToStart(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    refuseToStart(describeConfigIssues(loaded.issues));
  }
  const { config, warnings } = loaded;
  const logger = createLogger({ level: config.logLevel });
  for (const warning of warnings) {
    logger.warn({ variable: warning.variable }, `${warning.variable} ${warning.message}`);
  }

  let database: Database;
  try {
    database = await Database.open(config.database, {
      poolMax: config.databasePoolMax,
      log: (message) => logger.debug({ orm: message }, "orm"),
    });
    const applied = await database.migrate();
    logger.info({ applied }, applied.length > 0 ? "migrations applied" : "database schema is up to date");
  } catch (error) {
    const target =
      config.database.kind === "postgres" ? "DATABASE_URL" : `the embedded database in ${config.dataDir}`;
    refuseToStart(
      `PayMe cannot start: ${target} could not be opened and migrated (${(error as Error).message.split("\n")[0]})`,
    );
  }

  const daraja = await connectDaraja(config, logger);
  const container = buildContainer(config, { logger, database, secrets: await loadSecrets(config), daraja });
  const app = resolve(container, SERVICES.app);

  const reconciler = resolve(container, SERVICES.reconciler);
  const webhooks = resolve(container, SERVICES.webhookDispatcher);
  const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
    reconciler.start();
    webhooks.start();
    logger.info(
      { port: info.port, database: config.database.kind, mpesa: config.mpesa.environment },
      `PayMe listening on http://localhost:${info.port}`,
    );
  });
  server.on("clientError", answerClientError);
  server.on("error", (error: NodeJS.ErrnoException) => {
    refuseToStart(
      error.code === "EADDRINUSE"
        ? `PayMe cannot start: PORT ${config.port} is already in use`
        : `PayMe cannot start: ${error.message}`,
    );
  });

  const shutdown = resolve(container, SERVICES.shutdown);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    // 1. Drain: /ready answers 503 so that the balancer's health check takes this instance out, while every
    // request that still arrives is served. The reconciler is told at once to hand back what it claimed.
    shutdown.begin();
    const drainMs = config.shutdownDrainSeconds * 1000;
    logger.info(
      { signal, drainMs },
      "shutting down: /ready answers 503 while the balancer takes this instance out",
    );
    const stoppingReconciler = reconciler.stop();
    await new Promise((done) => setTimeout(done, drainMs));
    // 2. Close: stop accepting, finish requests in flight, then the background work; all within the grace period.
    const deadline = setTimeout(() => {
      logger.error(
        { graceMs: SHUTDOWN_GRACE_MS },
        "shutdown did not finish within the grace period; exiting",
      );
      logger.flush();
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    deadline.unref();
    logger.info("shutting down: no new connections, finishing requests in flight");
    // Webhook attempts in flight are cut short and handed back (not counted as failures) while requests finish.
    await Promise.all([closeServer(server, logger), webhooks.stop()]);
    await stoppingReconciler;
    await resolve(container, SERVICES.background).drain();
    await resolve(container, SERVICES.closeDaraja)();
    await daraja.stop();
    await database.close();
    logger.info("stopped");
    logger.flush();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

/** Stops accepting connections and waits for requests in flight, up to the grace period. */
function closeServer(server: ServerType, logger: Logger): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(() => {
      logger.warn(
        { graceMs: IN_FLIGHT_GRACE_MS },
        "requests still in flight after their grace period; closing them",
      );
      if ("closeAllConnections" in server) {
        server.closeAllConnections();
      }
      done();
    }, IN_FLIGHT_GRACE_MS);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      done();
    });
    if ("closeIdleConnections" in server) {
      server.closeIdleConnections();
    }
  });
}

await main();

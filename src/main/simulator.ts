import { createDarajaSimulator } from "../adapters/daraja-simulator/create-daraja-simulator.ts";
import { createLogger } from "../adapters/logging/logger.ts";
import { readSimulatorSettings, simulatorOptions } from "./simulator-settings.ts";

/** `npm run simulator`: the Daraja simulator alone, for any Daraja client (README, "Configuration": the simulator). */

async function main(): Promise<void> {
  const read = readSimulatorSettings(process.env);
  if (!read.ok) {
    console.error(`The Daraja simulator cannot start: ${read.variable} ${read.problem}`);
    process.exit(1);
  }
  const { settings } = read;
  const logger = createLogger({ level: "info" });
  const simulator = createDarajaSimulator(
    simulatorOptions(settings, (event, fields) => logger.warn(fields, event)),
  );

  const port = settings.SIMULATOR_PORT ?? 4010;
  let listening: Awaited<ReturnType<typeof simulator.listen>>;
  try {
    listening = await simulator.listen(port, settings.SIMULATOR_HOST ?? "127.0.0.1");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      code === "EADDRINUSE"
        ? `The Daraja simulator cannot start: SIMULATOR_PORT ${port} is already in use`
        : `The Daraja simulator cannot start: ${(error as Error).message}`,
    );
    process.exit(1);
  }
  logger.info(
    { url: listening.url, delayMs: settings.SIMULATOR_DELAY_MS ?? 1000 },
    `Daraja simulator listening on ${listening.url}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.info({ signal }, "Daraja simulator stopping");
    await listening.close();
    logger.flush();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

await main();

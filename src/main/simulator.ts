import * as v from "valibot";
import { createDarajaSimulator } from "../adapters/daraja-simulator/create-daraja-simulator.ts";
import { createLogger } from "../adapters/logging/logger.ts";

/**
 * `npm run simulator`: the Daraja simulator alone, for any Daraja client (CONTRACT.md, "The Daraja simulator").
 *
 * SIMULATOR_PORT (default 4010), SIMULATOR_HOST (default 127.0.0.1), SIMULATOR_DELAY_MS (default 1000),
 * SIMULATOR_CONSUMER_KEY and SIMULATOR_CONSUMER_SECRET (both or neither; unset: any pair is accepted),
 * SIMULATOR_PASSKEYS=shortcode:passkey,… and SIMULATOR_INITIATORS=name:password,… (a value cannot hold a comma).
 */

const wholeNumber = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d+$/, `must be a whole number from ${min} to ${max}`),
    v.transform(Number),
    v.minValue(min, `must be a whole number from ${min} to ${max}`),
    v.maxValue(max, `must be a whole number from ${min} to ${max}`),
  );

/** `a:b,c:d` into a record; every entry needs both parts, and the key must match `keyPattern`. */
const pairs = (keyPattern: RegExp, example: string) =>
  v.pipe(
    v.string(),
    v.transform((value) =>
      value
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== "")
        .map((entry) => {
          const colon = entry.indexOf(":");
          return colon < 0 ? ["", ""] : [entry.slice(0, colon).trim(), entry.slice(colon + 1)];
        }),
    ),
    v.check(
      (entries) => entries.every(([key, secret]) => keyPattern.test(key ?? "") && (secret ?? "") !== ""),
      `must be a comma-separated list such as ${example}`,
    ),
    v.transform((entries) => Object.fromEntries(entries) as Record<string, string>),
  );

const SCHEMAS = {
  SIMULATOR_PORT: wholeNumber(0, 65_535),
  SIMULATOR_HOST: v.pipe(v.string(), v.minLength(1)),
  SIMULATOR_DELAY_MS: wholeNumber(0, 600_000),
  SIMULATOR_CONSUMER_KEY: v.pipe(v.string(), v.minLength(1)),
  SIMULATOR_CONSUMER_SECRET: v.pipe(v.string(), v.minLength(1)),
  SIMULATOR_PASSKEYS: pairs(/^\d{5,7}$/, "174379:bfb279f9…,600000:mypasskey"),
  SIMULATOR_INITIATORS: pairs(/^\S+$/, "testapi:Safaricom999!*!,myinitiator:secret"),
} as const;

type Settings = { [K in keyof typeof SCHEMAS]?: v.InferOutput<(typeof SCHEMAS)[K]> };

function readSettings(
  env: NodeJS.ProcessEnv,
): { ok: true; settings: Settings } | { ok: false; problem: string } {
  const settings: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === "") {
      continue;
    }
    const parsed = v.safeParse(schema, raw);
    if (!parsed.success) {
      return { ok: false, problem: `${name} ${parsed.issues[0]?.message ?? "is not valid"}` };
    }
    settings[name] = parsed.output;
  }
  const typed = settings as Settings;
  if ((typed.SIMULATOR_CONSUMER_KEY === undefined) !== (typed.SIMULATOR_CONSUMER_SECRET === undefined)) {
    const missing =
      typed.SIMULATOR_CONSUMER_KEY === undefined ? "SIMULATOR_CONSUMER_KEY" : "SIMULATOR_CONSUMER_SECRET";
    return { ok: false, problem: `${missing} must be set too: the consumer key and secret go together` };
  }
  return { ok: true, settings: typed };
}

async function main(): Promise<void> {
  const read = readSettings(process.env);
  if (!read.ok) {
    console.error(`The Daraja simulator cannot start: ${read.problem}`);
    process.exit(1);
  }
  const { settings } = read;
  const logger = createLogger({ level: "info" });
  const simulator = createDarajaSimulator({
    ...(settings.SIMULATOR_DELAY_MS === undefined ? {} : { delayMs: settings.SIMULATOR_DELAY_MS }),
    ...(settings.SIMULATOR_CONSUMER_KEY === undefined || settings.SIMULATOR_CONSUMER_SECRET === undefined
      ? {}
      : { consumerKey: settings.SIMULATOR_CONSUMER_KEY, consumerSecret: settings.SIMULATOR_CONSUMER_SECRET }),
    ...(settings.SIMULATOR_PASSKEYS === undefined ? {} : { passkeys: settings.SIMULATOR_PASSKEYS }),
    ...(settings.SIMULATOR_INITIATORS === undefined ? {} : { initiators: settings.SIMULATOR_INITIATORS }),
    log: (event, fields) => logger.warn(fields, event),
  });

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

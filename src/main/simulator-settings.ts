import * as v from "valibot";
import type { DarajaSimulatorOptions } from "../adapters/daraja-simulator/daraja-simulator.ts";

/**
 * The simulator's settings from the environment, for `npm run simulator` and for the simulator PayMe runs
 * in-process when MPESA_ENV=simulator:
 * SIMULATOR_PORT (default 4010), SIMULATOR_HOST (default 127.0.0.1), SIMULATOR_DELAY_MS (default 1000),
 * SIMULATOR_CONSUMER_KEY and SIMULATOR_CONSUMER_SECRET (both or neither; unset: any pair is accepted),
 * SIMULATOR_PASSKEYS=shortcode:passkey,… and SIMULATOR_INITIATORS=name:password,… (a value cannot hold a comma),
 * SIMULATOR_ONE_TOKEN_PER_APP=true (a new OAuth token ends the consumer key's earlier ones, as Daraja documents).
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
  SIMULATOR_C2B_REREGISTER: v.pipe(
    v.picklist(["true", "false"], "must be true or false"),
    v.transform((value) => value === "true"),
  ),
  SIMULATOR_C2B_VALIDATION: v.pipe(
    v.string(),
    v.transform((value) =>
      value
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ""),
    ),
    v.check((codes) => codes.every((code) => /^\d{5,7}$/.test(code)), "must be shortcodes, comma-separated"),
  ),
  SIMULATOR_ONE_TOKEN_PER_APP: v.picklist(["true", "false"], "must be true or false"),
} as const;

export type SimulatorSettings = { [K in keyof typeof SCHEMAS]?: v.InferOutput<(typeof SCHEMAS)[K]> };

export function readSimulatorSettings(
  env: NodeJS.ProcessEnv,
): { ok: true; settings: SimulatorSettings } | { ok: false; variable: string; problem: string } {
  const settings: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === "") {
      continue;
    }
    const parsed = v.safeParse(schema, raw);
    if (!parsed.success) {
      return { ok: false, variable: name, problem: parsed.issues[0]?.message ?? "is not valid" };
    }
    settings[name] = parsed.output;
  }
  const typed = settings as SimulatorSettings;
  if ((typed.SIMULATOR_CONSUMER_KEY === undefined) !== (typed.SIMULATOR_CONSUMER_SECRET === undefined)) {
    const missing =
      typed.SIMULATOR_CONSUMER_KEY === undefined ? "SIMULATOR_CONSUMER_KEY" : "SIMULATOR_CONSUMER_SECRET";
    return {
      ok: false,
      variable: missing,
      problem: "must be set too: the consumer key and secret go together",
    };
  }
  return { ok: true, settings: typed };
}

/** The simulator's options from its settings. */
export function simulatorOptions(
  settings: SimulatorSettings,
  log: NonNullable<DarajaSimulatorOptions["log"]>,
): DarajaSimulatorOptions {
  return {
    ...(settings.SIMULATOR_DELAY_MS === undefined ? {} : { delayMs: settings.SIMULATOR_DELAY_MS }),
    ...(settings.SIMULATOR_CONSUMER_KEY === undefined || settings.SIMULATOR_CONSUMER_SECRET === undefined
      ? {}
      : { consumerKey: settings.SIMULATOR_CONSUMER_KEY, consumerSecret: settings.SIMULATOR_CONSUMER_SECRET }),
    ...(settings.SIMULATOR_PASSKEYS === undefined ? {} : { passkeys: settings.SIMULATOR_PASSKEYS }),
    ...(settings.SIMULATOR_INITIATORS === undefined ? {} : { initiators: settings.SIMULATOR_INITIATORS }),
    ...(settings.SIMULATOR_C2B_REREGISTER === undefined
      ? {}
      : { c2bReregister: settings.SIMULATOR_C2B_REREGISTER }),
    ...(settings.SIMULATOR_C2B_VALIDATION === undefined
      ? {}
      : { c2bValidationShortcodes: settings.SIMULATOR_C2B_VALIDATION }),
    ...(settings.SIMULATOR_ONE_TOKEN_PER_APP === undefined
      ? {}
      : { oneTokenPerApp: settings.SIMULATOR_ONE_TOKEN_PER_APP === "true" }),
    log,
  };
}

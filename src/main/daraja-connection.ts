import { DEVELOPMENT_WALLET_PASSKEY } from "../adapters/daraja-simulator/simulator-credentials.ts";
import type { Logger } from "../adapters/logging/logger.ts";
import type { Config } from "./config.ts";
import { simulatorOptions } from "./simulator-settings.ts";

export const DARAJA_HOSTS = {
  sandbox: "https://sandbox.safaricom.co.ke",
  production: "https://api.safaricom.co.ke",
} as const;

/** Credentials the simulator accepts when none are configured: it takes any pair unless told otherwise. */
const SIMULATOR_DEFAULT_APP = {
  consumerKey: "payme-development",
  consumerSecret: "payme-development-secret",
};

export type DarajaConnection = {
  readonly baseUrl: string;
  readonly consumerKey: string;
  readonly consumerSecret: string;
  /** The wallet paybill's passkey; null when none is configured (sandbox or production without one). */
  readonly walletPasskey: string | null;
  stop(): Promise<void>;
};

/**
 * Where PayMe reaches Daraja. With MPESA_ENV=simulator (the default) and no MPESA_BASE_URL, the simulator runs
 * in this process on a free loopback port, and the same gateway code reaches it over real HTTP. The simulator (its
 * routes, and node-forge for its credential decryption) is loaded only then: a server that reaches Daraja or an
 * external simulator never holds its code.
 */
export async function connectDaraja(config: Config, logger: Logger): Promise<DarajaConnection> {
  const { mpesa, simulator: settings } = config;
  const simulated = mpesa.environment === "simulator";
  const credentials = {
    consumerKey:
      mpesa.consumerKey ??
      (simulated ? (settings.SIMULATOR_CONSUMER_KEY ?? SIMULATOR_DEFAULT_APP.consumerKey) : ""),
    consumerSecret:
      mpesa.consumerSecret ??
      (simulated ? (settings.SIMULATOR_CONSUMER_SECRET ?? SIMULATOR_DEFAULT_APP.consumerSecret) : ""),
    walletPasskey: mpesa.walletPasskey ?? (simulated ? DEVELOPMENT_WALLET_PASSKEY : null),
  };
  if (mpesa.baseUrl !== null || !simulated) {
    const baseUrl =
      mpesa.baseUrl ?? DARAJA_HOSTS[mpesa.environment === "production" ? "production" : "sandbox"];
    return { baseUrl, ...credentials, stop: async () => undefined };
  }
  const { createDarajaSimulator } = await import("../adapters/daraja-simulator/create-daraja-simulator.ts");
  const simulator = createDarajaSimulator(
    simulatorOptions(settings, (event, fields) => logger.warn({ simulator: fields }, event)),
  );
  const listening = await simulator.listen(0, "127.0.0.1");
  logger.info({ url: listening.url }, "Daraja simulator running in-process");
  return { baseUrl: listening.url, ...credentials, stop: () => listening.close() };
}

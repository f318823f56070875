import { readFileSync } from "node:fs";

export type DarajaEnvironment = "simulator" | "sandbox" | "production";

const CERTIFICATES: Record<DarajaEnvironment, URL> = {
  sandbox: new URL("./certs/sandbox.cer", import.meta.url),
  production: new URL("./certs/production.cer", import.meta.url),
  simulator: new URL("./certs/simulator-dev-only.cert.pem", import.meta.url),
};

/**
 * The PEM certificate whose public key encrypts B2C SecurityCredentials in an environment: Safaricom's
 * sandbox or production certificate (copied from Safaricom's distribution, long expired and deliberately not
 * checked), or the Daraja simulator's development certificate. All three are public; the simulator's private
 * key stays with the simulator, which this client never imports.
 */
export function darajaCertificate(environment: DarajaEnvironment): string {
  return readFileSync(CERTIFICATES[environment], "utf8");
}

import { readFileSync } from "node:fs";
import { SIMULATOR_CERTIFICATE_PEM } from "../daraja-simulator/simulator-certificate.ts";

export type DarajaEnvironment = "simulator" | "sandbox" | "production";

const SAFARICOM_CERTIFICATES = {
  sandbox: new URL("./certs/sandbox.cer", import.meta.url),
  production: new URL("./certs/production.cer", import.meta.url),
} as const;

/**
 * The PEM certificate whose public key encrypts B2C SecurityCredentials in an environment: Safaricom's
 * sandbox or production certificate (copied from Safaricom's distribution, long expired and deliberately not
 * checked), or the simulator's own development certificate.
 */
export function darajaCertificate(environment: DarajaEnvironment): string {
  if (environment === "simulator") {
    return SIMULATOR_CERTIFICATE_PEM;
  }
  return readFileSync(SAFARICOM_CERTIFICATES[environment], "utf8");
}

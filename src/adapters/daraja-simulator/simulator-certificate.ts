import { readFileSync } from "node:fs";

/**
 * The private half of the simulator's own RSA key pair, generated once with node-forge and committed under
 * ./certs. Its certificate, which PayMe encrypts initiator passwords with in simulator mode, is public and lives
 * with Safaricom's in src/adapters/daraja/certs (simulator-dev-only.cert.pem), so that the Daraja client never
 * imports the simulator. DEVELOPMENT ONLY: this key is public in this repository and protects nothing.
 */
export const SIMULATOR_PRIVATE_KEY_PEM: string = readFileSync(
  new URL("./certs/simulator-dev-only.key.pem", import.meta.url),
  "utf8",
);

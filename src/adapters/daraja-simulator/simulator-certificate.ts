import { readFileSync } from "node:fs";

/**
 * The simulator's own RSA key pair, generated once with node-forge and committed under ./certs.
 * DEVELOPMENT ONLY: the private key is public in this repository and protects nothing.
 */
export const SIMULATOR_CERTIFICATE_PEM: string = readFileSync(
  new URL("./certs/simulator-dev-only.cert.pem", import.meta.url),
  "utf8",
);

/** The private key that decrypts SecurityCredentials built with SIMULATOR_CERTIFICATE_PEM. Dev only. */
export const SIMULATOR_PRIVATE_KEY_PEM: string = readFileSync(
  new URL("./certs/simulator-dev-only.key.pem", import.meta.url),
  "utf8",
);

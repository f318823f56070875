import forge from "node-forge";
import { SIMULATOR_PRIVATE_KEY_PEM } from "./simulator-certificate.ts";

const privateKey = forge.pki.privateKeyFromPem(SIMULATOR_PRIVATE_KEY_PEM);

/**
 * The initiator password inside a SecurityCredential built with the simulator's certificate, or null when it
 * was built with another key (Safaricom's certificate, a wrong algorithm) or is not one at all.
 * node-forge does the RSA PKCS#1 v1.5 decryption that Node 20 no longer allows (CVE-2023-46809).
 */
export function decryptSecurityCredential(credential: string): string | null {
  const bytes = Buffer.from(credential, "base64");
  if (bytes.length !== 256) {
    return null;
  }
  try {
    const plain = privateKey.decrypt(bytes.toString("binary"), "RSAES-PKCS1-V1_5");
    return forge.util.decodeUtf8(plain);
  } catch (error) {
    // forge throws on bad padding: the credential was encrypted for another key.
    if (error instanceof Error) {
      return null;
    }
    throw error;
  }
}

import { constants, createPublicKey, type KeyObject, publicEncrypt } from "node:crypto";

/**
 * Daraja's B2C / Transaction Status `SecurityCredential`: the initiator password encrypted with the M-Pesa
 * certificate's public key, RSA PKCS#1 v1.5 padding, base64 (344 characters for an RSA-2048 key).
 * The padding is random, so two credentials for the same password differ; both are valid.
 * The certificate's expiry is not checked: Safaricom still distributes expired ones, only the key matters.
 */
export function securityCredential(certificate: string | KeyObject, initiatorPassword: string): string {
  const key = typeof certificate === "string" ? createPublicKey(certificate) : certificate;
  return publicEncrypt(
    { key, padding: constants.RSA_PKCS1_PADDING },
    Buffer.from(initiatorPassword, "utf8"),
  ).toString("base64");
}

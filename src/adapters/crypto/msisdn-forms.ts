import { createHash } from "node:crypto";

/**
 * The ways Daraja may have written a normalised number (`2547…`, `2541…`) in a C2B MSISDN: in the clear (older
 * sandbox confirmations), or as the SHA-256 hex of the number (C2B v1), in either case of hex. A masked MSISDN
 * (v2, `2547 ***** 126`) fits many numbers, so it is never one of them.
 */
export function msisdnForms(msisdn: string): string[] {
  const hex = createHash("sha256").update(msisdn).digest("hex");
  return [msisdn, hex, hex.toUpperCase()];
}

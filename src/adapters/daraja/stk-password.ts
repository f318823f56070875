/**
 * The STK push / query `Password`: base64(BusinessShortCode + passkey + Timestamp), plain concatenation.
 * The shortcode must be the one sent as BusinessShortCode (a till's store number, never the till) and the
 * timestamp the one sent in the same body, or Daraja answers "Wrong credentials".
 */
export function stkPassword(businessShortCode: string, passkey: string, timestamp: string): string {
  return Buffer.from(`${businessShortCode}${passkey}${timestamp}`, "utf8").toString("base64");
}

import { safeEqual } from "./safe-equal.ts";

/**
 * Checks the Password of an STK push or query: base64(BusinessShortCode + passkey + Timestamp), with the passkey
 * of each shortcode the simulator knows. For a shortcode it does not know, any passkey will do, but the
 * password must still be built from this body's shortcode and timestamp.
 */
export class StkPasswords {
  private readonly passkeys: ReadonlyMap<string, string>;

  constructor(passkeys: Readonly<Record<string, string>>) {
    this.passkeys = new Map(Object.entries(passkeys));
  }

  accepts(body: Readonly<Record<string, unknown>>): boolean {
    const shortcode = String(body.BusinessShortCode);
    const timestamp = String(body.Timestamp);
    const decoded = Buffer.from(String(body.Password), "base64").toString("utf8");
    const known = this.passkeys.get(shortcode);
    if (known === undefined) {
      return (
        decoded.length > shortcode.length + timestamp.length &&
        decoded.startsWith(shortcode) &&
        decoded.endsWith(timestamp)
      );
    }
    return safeEqual(decoded, `${shortcode}${known}${timestamp}`);
  }
}

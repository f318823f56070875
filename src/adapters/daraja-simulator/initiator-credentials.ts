import { decryptSecurityCredential } from "./decrypt-security-credential.ts";
import { safeEqual } from "./safe-equal.ts";

/**
 * Checks a B2C or Transaction Status initiator: its SecurityCredential must decrypt with the simulator's key,
 * and to the initiator's password when the simulator knows the initiator (any password will do otherwise).
 */
export class InitiatorCredentials {
  private readonly passwords: ReadonlyMap<string, string>;

  constructor(passwords: Readonly<Record<string, string>>) {
    this.passwords = new Map(Object.entries(passwords));
  }

  accepts(initiatorName: string, credential: string): boolean {
    const password = decryptSecurityCredential(credential);
    if (password === null) {
      return false;
    }
    const expected = this.passwords.get(initiatorName);
    return expected === undefined || safeEqual(password, expected);
  }
}

import { hash, randomBytes } from "node:crypto";
import type { CallbackSecrets } from "../../application/ports/callback-secrets.ts";

/** 32 random bytes, base64url, as the token; its SHA-256 in hex as what is stored. */
export class RandomCallbackSecrets implements CallbackSecrets {
  issue(): { token: string; hash: string } {
    const token = randomBytes(32).toString("base64url");
    return { token, hash: this.hashOf(token) };
  }

  issueHex(): { token: string; hash: string } {
    const token = randomBytes(32).toString("hex");
    return { token, hash: this.hashOf(token) };
  }

  hashOf(token: string): string {
    // One-shot: no Hash object per callback (createHash showed on the settlement's profile).
    return hash("sha256", token, "hex");
  }
}

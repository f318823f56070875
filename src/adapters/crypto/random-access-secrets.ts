import { createHash, randomBytes } from "node:crypto";
import type { AccessSecrets, HashedSecret } from "../../application/ports/access-secrets.ts";
import { base62 } from "./base62.ts";

/** How many random bytes a secret carries. */
const SECRET_BYTES = 32;

/** API keys and invitation tokens from the operating system's random source, stored as their SHA-256. */
export class RandomAccessSecrets implements AccessSecrets {
  newApiKey(live: boolean): HashedSecret {
    return this.hashed(`${live ? "sk_live_" : "sk_test_"}${base62(randomBytes(SECRET_BYTES))}`);
  }

  newInvitationToken(): HashedSecret {
    return this.hashed(base62(randomBytes(SECRET_BYTES)));
  }

  hashOf(secret: string): string {
    return createHash("sha256").update(secret, "utf8").digest("hex");
  }

  private hashed(secret: string): HashedSecret {
    return { secret, hash: this.hashOf(secret) };
  }
}

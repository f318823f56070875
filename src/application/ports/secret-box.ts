import type { SealedSecret } from "../../domain/sealed-secret.ts";

/**
 * Encryption of secrets at rest (passkeys, consumer secrets, initiator passwords).
 * The sealed form names the key that sealed it, so older keys can still open it after a rotation.
 */
export interface SecretBox {
  /** Encrypts under the current key. */
  seal(plaintext: string): Promise<SealedSecret>;
  /** Decrypts with whichever configured key sealed it. Throws when no configured key fits or the text was altered. */
  open(sealed: SealedSecret): Promise<string>;
  /** True when `sealed` was sealed under a key other than the current one. */
  isStale(sealed: SealedSecret): boolean;
}

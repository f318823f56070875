import type { SealedSecret, SecretBinding } from "../../domain/sealed-secret.ts";

/**
 * Encryption of secrets at rest (passkeys, consumer secrets, initiator passwords).
 * The sealed form names the key that sealed it, so older keys can still open it after a rotation; and it is
 * bound to the business and field it was sealed for, so it opens nowhere else.
 */
export interface SecretBox {
  /** Encrypts under the current key, bound to `binding`. */
  seal(plaintext: string, binding: SecretBinding): Promise<SealedSecret>;
  /**
   * Decrypts with whichever configured key sealed it. Throws when no configured key fits, the text was altered,
   * or it was sealed for another business or field. A secret sealed before secrets were bound opens anywhere,
   * until a rotation re-seals it.
   */
  open(sealed: SealedSecret, binding: SecretBinding): Promise<string>;
  /** True when `sealed` needs re-sealing: sealed under a key other than the current one, or before binding. */
  isStale(sealed: SealedSecret): boolean;
}

import type { SecretBox } from "../../application/ports/secret-box.ts";
import { type SealedSecret, type SecretBinding, sealedSecret } from "../../domain/sealed-secret.ts";

/**
 * A SecretBox that does not encrypt: the sealed form is the binding and the plaintext, readable. It still opens a
 * secret only for the business and field it was sealed for. For tests and the simulation, never for storage.
 */
export class PlainSecretBox implements SecretBox {
  async seal(plaintext: string, binding: SecretBinding): Promise<SealedSecret> {
    return sealedSecret(`plain:${binding.businessId}:${binding.field}:${plaintext}`);
  }

  async open(sealed: SealedSecret, binding: SecretBinding): Promise<string> {
    const prefix = `plain:${binding.businessId}:${binding.field}:`;
    if (!sealed.startsWith(prefix)) {
      throw new Error(`the secret was not sealed for ${binding.field} of business ${binding.businessId}`);
    }
    return sealed.slice(prefix.length);
  }

  isStale(): boolean {
    return false;
  }
}

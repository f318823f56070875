/**
 * A secret (a passkey, a consumer secret, an initiator password) as it is kept at rest:
 * encrypted by the SecretBox port. The domain carries it but can never read it.
 */
export type SealedSecret = string & { readonly __sealed: unique symbol };

export const sealedSecret = (ciphertext: string): SealedSecret => ciphertext as SealedSecret;

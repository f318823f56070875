/**
 * A secret (a passkey, a consumer secret, an initiator password) as it is kept at rest:
 * encrypted by the SecretBox port. The domain carries it but can never read it.
 */
export type SealedSecret = string & { readonly __sealed: unique symbol };

export const sealedSecret = (ciphertext: string): SealedSecret => ciphertext as SealedSecret;

/** Each place a sealed secret is kept. */
export const SECRET_FIELDS = {
  passkey: "payment_config.passkey",
  paymentConsumerSecret: "payment_config.consumer_secret",
  paymentInitiatorPassword: "payment_config.initiator_password",
  initiatorPassword: "payout_config.initiator_password",
  payoutConsumerSecret: "payout_config.consumer_secret",
  webhookSecret: "webhook_endpoint.secret",
  /** A Daraja OAuth token shared by instances; its binding's `businessId` is the app's key digest. */
  darajaAccessToken: "daraja_token.access_token",
} as const;

export type SecretField = (typeof SECRET_FIELDS)[keyof typeof SECRET_FIELDS];

/**
 * Whose secret it is, and in which field: a secret is sealed for one business and one field, and opens only
 * there. A passkey copied to another business's row, or into another field, does not open.
 */
export type SecretBinding = { readonly businessId: string; readonly field: SecretField };

export const secretBinding = (businessId: string, field: SecretField): SecretBinding => ({
  businessId,
  field,
});

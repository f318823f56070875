/**
 * PayMe's own paybill, where users buy wallet tokens (MPESA_WALLET_SHORTCODE, MPESA_WALLET_ACCOUNT_REFERENCE,
 * MPESA_PASSKEY_WALLET). It is system configuration, never a business's: no business config is used here.
 */
export type WalletPaybill = {
  readonly shortcode: string;
  readonly accountReference: string;
  /** Null when none is configured: wallet purchases are then unavailable. */
  readonly passkey: string | null;
  readonly tokensPerKes: number;
};

/**
 * The credentials the simulator knows out of the box. Public values, for development and tests only.
 */

/** Safaricom's public sandbox Lipa na M-Pesa Online shortcode and its published passkey. */
export const SANDBOX_SHORTCODE = "174379";
export const SANDBOX_PASSKEY = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919";

/**
 * The development wallet paybill (MPESA_WALLET_SHORTCODE's default) and the passkey the simulator expects for
 * it: PayMe's default MPESA_PASSKEY_WALLET in simulator mode. Made up for the simulator; it is no real passkey.
 */
export const DEVELOPMENT_WALLET_SHORTCODE = "650880";
export const DEVELOPMENT_WALLET_PASSKEY = "ffbf45373a80117bcc9b62bcb10f0a1c253f634abf28994e7cbdf6ff68b0daec";

/** Safaricom's public sandbox B2C initiator and its published password. */
export const SANDBOX_INITIATOR_NAME = "testapi";
export const SANDBOX_INITIATOR_PASSWORD = "Safaricom999!*!";

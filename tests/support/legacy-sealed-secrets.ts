/**
 * Secrets as PayMe sealed them before sealed secrets were bound to their business and field (format `v1`:
 * AES-256-GCM with only the version and key fingerprint as additional data). Produced by that release's
 * AesGcmSecretBox under LEGACY_SEALING_KEY, so tests can check that such rows still open and that
 * `npm run rotate-keys` upgrades them.
 */
export const LEGACY_SEALING_KEY = Buffer.alloc(32, 7).toString("base64");

export const LEGACY_SEALED = {
  passkey: {
    plaintext: "legacy-passkey",
    sealed: "v1.4bb06f8e4e3a7715.-wnF9GRWLtt81XSv.pR5Tw41pLkCyULThtT6OE_ZpZgTwaEiBomQBLJZ_",
  },
  paymentConsumerSecret: {
    plaintext: "legacy-consumer-secret",
    sealed: "v1.4bb06f8e4e3a7715.ZgCvIF0VjPyLLOhD.t5oKBDByf6RvnnXDhVAahzeSPvSAYaZ8S2oKxRZHcejewchEHOA",
  },
  initiatorPassword: {
    plaintext: "Safaricom999!*!",
    sealed: "v1.4bb06f8e4e3a7715.5k7HKIDz7rRJvGpY.EdPrIW7eIxHebbnLs-3zVgeqHr35swA0JpFmKzvAyg",
  },
  payoutConsumerSecret: {
    plaintext: "legacy-payout-consumer-secret",
    sealed:
      "v1.4bb06f8e4e3a7715.zdpBZpUPIrGUQ-Qc.covpG2CYlXi6pWMpXL_zAnvjlEjdFdDHjT0qAcPYTOS7giO6PkGdgIs4hdzu",
  },
} as const;

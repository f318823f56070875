/**
 * A kind of payment PayMe makes, by its name: `wallet_purchase`, `sale`, `config_verification` (the STK kinds
 * registered at the composition root), `payout`. It labels metrics, locator rows and audit references.
 */
export type PaymentKind = string;

/** What settled a payment: its callback, a query (reconciler or confirmation of an untrusted callback), expiry, or Daraja refusing it at once. */
export type SettlementSource = "callback" | "query" | "expiry" | "refused";

/**
 * Counters and timings of payments, for operators. Told only after the change is committed, so a rolled-back
 * transaction counts nothing. Implementations must not throw.
 */
export interface PaymentMetrics {
  /** A payment was recorded and its request sent to Daraja. */
  initiated(kind: PaymentKind): void;
  /** A payment reached `status` (paid, cancelled, failed, expired, completed, or flagged), `ageSeconds` after it was created. */
  settled(event: {
    readonly kind: PaymentKind;
    readonly status: string;
    readonly source: SettlementSource;
    readonly ageSeconds: number;
  }): void;
}

/** Metrics that go nowhere: for tests and tools that do not report. */
export const noPaymentMetrics: PaymentMetrics = {
  initiated: () => undefined,
  settled: () => undefined,
};

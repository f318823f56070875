import type { GatewayFailure } from "../../application/ports/payment-gateway.ts";

/** The Daraja calls the gateway makes. `oauth` is a token request; the others are one port call each. */
export type DarajaOperation =
  | "oauth"
  | "stk_push"
  | "stk_query"
  | "b2c_payment"
  | "transaction_status"
  | "account_balance"
  | "c2b_register"
  | "pull_transactions"
  | "reversal";

/** How one call ended: `ok`, or the failure type. An STK Query that answered counts as `ok`, pending or not. */
export type DarajaCallOutcome = "ok" | GatewayFailure["type"];

export type DarajaCallEvent = {
  readonly operation: DarajaOperation;
  readonly outcome: DarajaCallOutcome;
  /** Wall time of the whole call, including any token request and the one retry after an invalid token. */
  readonly durationMs: number;
  /** True when Daraja refused the token and the call was sent once more with a fresh one. */
  readonly retriedAfterInvalidToken: boolean;
};

/**
 * An optional listener for metrics: told about every call the gateway makes, after it ends. It never sees a
 * secret, a token or a request body. It must not throw; what it throws is ignored.
 */
export interface DarajaGatewayObserver {
  onCall(event: DarajaCallEvent): void;
}

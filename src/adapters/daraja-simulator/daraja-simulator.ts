import type { Hono } from "hono";
import type { Clock } from "../../application/ports/clock.ts";

/** The public face of the Daraja simulator: its options, its handle, and what the handle reports. */

export type DarajaSimulatorOptions = {
  /** How long after a request its callback is sent. Default 1000 ms (SIMULATOR_DELAY_MS). */
  readonly delayMs?: number;
  /** Life of an OAuth token. Default 3600 s, as Daraja's. */
  readonly tokenTtlSeconds?: number;
  /**
   * Daraja's documented rule ("each request invalidates the previous token"): a new token for a consumer key
   * ends the ones issued to that key before. Default false (any number of live tokens per key).
   */
  readonly oneTokenPerApp?: boolean;
  /** When both are set, only this consumer key and secret get tokens; otherwise any pair does. */
  readonly consumerKey?: string;
  readonly consumerSecret?: string;
  /** Passkeys of more shortcodes, checked like the built-in ones (SIMULATOR_PASSKEYS). */
  readonly passkeys?: Readonly<Record<string, string>>;
  /** Passwords of more B2C initiators, checked like the sandbox's (SIMULATOR_INITIATORS). */
  readonly initiators?: Readonly<Record<string, string>>;
  /** Time for tokens, timestamps and identifiers. Delays always run on real time. */
  readonly clock?: Clock;
  /** Time STK Query takes to answer, so that concurrent queries overlap visibly. Default 0. */
  readonly queryLatencyMs?: number;
  /** Registering a shortcode's C2B URLs again replaces them (SIMULATOR_C2B_REREGISTER); production refuses. */
  readonly c2bReregister?: boolean;
  /** Shortcodes whose C2B payments are validated first (SIMULATOR_C2B_VALIDATION). */
  readonly c2bValidationShortcodes?: readonly string[];
  /** Told about what goes wrong outside any request: a callback that could not be delivered. */
  readonly log?: (event: string, fields: Readonly<Record<string, unknown>>) => void;
};

/** The Daraja APIs the simulator serves, as faults and statistics name them. A new API adds its name here. */
export const SIMULATOR_APIS = [
  "oauth",
  "stk_push",
  "stk_query",
  "b2c_payment",
  "transaction_status",
  "account_balance",
  "c2b_register",
  "c2b_simulate",
  "pull_transactions",
  "reversal",
] as const;

export type SimulatorApi = (typeof SIMULATOR_APIS)[number];

/**
 * A fault for the next request(s) to one API, for tests, drills and operators (README, "The simulator's faults"):
 * - `delayMs`: answer that much later; the request still takes effect (a stall past the client's timeout);
 * - `error`: refuse with this Daraja error envelope; the request takes no effect (rate limits, a definite
 *   refusal, an outage before anything started);
 * - `error` with `afterProcessing`: the request takes effect first (the push reaches the phone, the payout is
 *   made, and their callbacks follow), then the answer is this envelope: the ambiguous case (a 5xx after Daraja
 *   acted);
 * - `rawBody`: answer with this body instead; the request takes effect first (an HTML page, a garbled or unknown
 *   answer: the ambiguous case again);
 * - `callback`: what becomes of the callbacks of the request(s) it applies to (`stk_push`, `b2c_payment`, and
 *   `transaction_status` and `account_balance` of a look-up): `deliveries` 0 drops them, 2 or more duplicates
 *   them; `delayMs` sends them that much later; `queueTimeout` sends a queue timeout instead of the result.
 */
export type SimulatorFault = {
  readonly api: SimulatorApi;
  /** How many requests it applies to. Default 1. */
  readonly times?: number;
  readonly delayMs?: number;
  readonly error?: { readonly status: number; readonly errorCode: string; readonly errorMessage: string };
  /** With `error`: act on the request first, then answer with the error. */
  readonly afterProcessing?: boolean;
  readonly rawBody?: { readonly status: number; readonly body: string; readonly contentType?: string };
  readonly callback?: {
    readonly deliveries?: number;
    readonly delayMs?: number;
    /** `transaction_status`, `account_balance`: send a queue timeout to QueueTimeOutURL instead of the result. */
    readonly queueTimeout?: boolean;
  };
};

export type CheckoutView = {
  readonly checkoutRequestId: string;
  readonly merchantRequestId: string;
  readonly businessShortCode: string;
  readonly transactionType: string;
  readonly partyB: string;
  readonly phone: string;
  readonly amount: number;
  readonly accountReference: string;
  readonly callbackUrl: string;
  readonly status: "pending" | "settled";
  /** Once settled: "0" when paid, else the failure code. */
  readonly resultCode: string | null;
  readonly resultDesc: string | null;
  readonly receipt: string | null;
  /** Once paid: yyyyMMddHHmmss in Nairobi time. */
  readonly transactionDate: string | null;
};

export type PayoutView = {
  readonly originatorConversationId: string;
  readonly conversationId: string;
  readonly initiatorName: string;
  readonly shortcode: string;
  readonly phone: string;
  readonly amount: number;
  readonly commandId: string;
  readonly status: "pending" | "settled";
  readonly resultCode: string | null;
  readonly resultDesc: string | null;
  readonly receipt: string | null;
  /** True for a payout that sent a queue timeout instead of its result. */
  readonly queueTimedOut: boolean;
};

export type CallbackKind =
  | "stk_callback"
  | "b2c_result"
  | "b2c_queue_timeout"
  | "status_result"
  | "status_queue_timeout"
  | "balance_result"
  | "balance_queue_timeout"
  | "c2b_confirmation"
  | "reversal_result"
  | "reversal_timeout";

export type CallbackDelivery = {
  readonly kind: CallbackKind;
  readonly url: string;
  readonly body: unknown;
  /** The receiver's HTTP status, or null when it could not be reached. */
  readonly status: number | null;
  readonly error: string | null;
  readonly at: string;
};

export type DarajaSimulatorStats = {
  /** OAuth token requests that reached the simulator, by consumer key (refused ones included). */
  readonly oauthRequests: Readonly<Record<string, number>>;
  /** Requests to the M-Pesa APIs that carried a valid token, by the consumer key the token was issued to. */
  readonly authorisedRequests: Readonly<Record<string, number>>;
  /** Requests that reached each API, faulted ones included. */
  readonly requests: Readonly<Record<SimulatorApi, number>>;
  /** STK push bodies received since the last reset, including those stkPushBodies no longer keeps. */
  readonly stkPushes: number;
  /** B2C payment requests received (v1 and v3). */
  readonly b2cRequests: number;
  readonly transactionStatusRequests: number;
  /** STK Queries received, by CheckoutRequestID. */
  readonly stkQueries: Readonly<Record<string, number>>;
  /** The most STK Queries ever in flight at once for any one CheckoutRequestID. */
  readonly maxConcurrentQueriesPerCheckout: number;
  /** Callbacks the receiver accepted (2xx) since the last reset, including those callbacks() no longer keeps. */
  readonly callbacksDelivered: number;
  /** Callbacks refused (3xx and above) or never delivered since the last reset. */
  readonly callbacksFailed: number;
};

export type ListeningSimulator = { readonly url: string; close(): Promise<void> };

/** A Daraja look-alike: the Hono app, and the handle tests and tools use to run and inspect it. */
export type DarajaSimulator = {
  readonly app: Hono;
  /** Serves the app over HTTP on 127.0.0.1 (port 0: any free port). */
  listen(port?: number, hostname?: string): Promise<ListeningSimulator>;
  stats(): DarajaSimulatorStats;
  /** The last 1,000 STK push bodies received (REQUEST_BODIES_KEPT), oldest first, as sent (Password included). */
  stkPushBodies(): readonly Readonly<Record<string, unknown>>[];
  /** The last 1,000 B2C payment bodies received (REQUEST_BODIES_KEPT), oldest first, as sent. */
  b2cBodies(): readonly Readonly<Record<string, unknown>>[];
  checkout(checkoutRequestId: string): CheckoutView | null;
  /** Settles a checkout now rather than after the delay, and delivers its callbacks. Null if unknown. */
  settle(checkoutRequestId: string): Promise<CheckoutView | null>;
  payout(originatorConversationId: string): PayoutView | null;
  /** The C2B URLs registered for a shortcode, as registered (tokens included: tests post to them). */
  c2bUrls(shortcode: string): {
    readonly responseType: string;
    readonly confirmationUrl: string;
    readonly validationUrl: string;
  } | null;
  /** The last 1,000 callback deliveries (DELIVERIES_KEPT), oldest first; stats() counts every one. */
  callbacks(): readonly CallbackDelivery[];
  /** Resolves once every scheduled callback has been delivered (or has failed). */
  whenIdle(): Promise<void>;
  /** Makes every token issued so far invalid, as Daraja does when it rotates them. */
  revokeTokens(): void;
  injectFault(fault: SimulatorFault): void;
  setDelayMs(delayMs: number): void;
  setTokenTtlSeconds(seconds: number): void;
  /** Forgets all state and statistics (tokens, checkouts, payouts, faults, callbacks). */
  reset(): void;
  /** Cancels pending callbacks and closes the simulator's outgoing connections (listen's close does too). */
  close(): Promise<void>;
};

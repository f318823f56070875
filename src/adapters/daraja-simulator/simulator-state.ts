import { type DarajaSimulatorStats, SIMULATOR_APIS, type SimulatorApi } from "./daraja-simulator.ts";
import { RecentRecords } from "./recent-records.ts";
import { SimulatorBalances } from "./simulator-balances.ts";
import { simulatorIds } from "./simulator-ids.ts";
import type { CheckoutRecord, PayoutRecord } from "./simulator-records.ts";

/** How many request bodies of each kind the simulator keeps for inspection: the most recent ones. */
export const REQUEST_BODIES_KEPT = 1_000;

type RequestBody = Readonly<Record<string, unknown>>;

/** The simulator's statistics that its state knows; the callback counts come from its callback deliveries. */
export type RequestStats = Omit<DarajaSimulatorStats, "callbacksDelivered" | "callbacksFailed">;

/**
 * What the simulator remembers between requests: its settings, the tokens it issued, the checkouts and payouts
 * it accepted, the receipts it named, and what it counts. Only `reset` forgets, and it keeps the settings.
 */
export class SimulatorState {
  private tokens = new Map<string, { readonly consumerKey: string; readonly expiresAt: number }>();
  private readonly checkouts = new Map<string, CheckoutRecord>();
  private readonly payouts = new Map<string, PayoutRecord>();
  private readonly receipts = new Set<string>();
  private readonly pushBodies = new RecentRecords<RequestBody>(REQUEST_BODIES_KEPT);
  private readonly payoutBodies = new RecentRecords<RequestBody>(REQUEST_BODIES_KEPT);
  private oauthRequests: Record<string, number> = {};
  private authorisedRequests: Record<string, number> = {};
  private requests = emptyRequestCounts();
  private transactionStatusRequests = 0;
  private queryCounts: Record<string, number> = {};
  private readonly queriesInFlight = new Map<string, number>();
  private maxConcurrentQueries = 0;
  /** Each shortcode's balance, as the simulated payments and payouts move it. */
  readonly balances = new SimulatorBalances();

  constructor(private settings: { delayMs: number; tokenTtlSeconds: number; oneTokenPerApp?: boolean }) {}

  // ------------------------------------------------------------ settings (reset keeps them)

  /** How long after a request its callback is sent. */
  get delayMs(): number {
    return this.settings.delayMs;
  }

  get tokenTtlSeconds(): number {
    return this.settings.tokenTtlSeconds;
  }

  setDelayMs(delayMs: number): void {
    this.settings = { ...this.settings, delayMs };
  }

  setTokenTtlSeconds(tokenTtlSeconds: number): void {
    this.settings = { ...this.settings, tokenTtlSeconds };
  }

  // ------------------------------------------------------------ tokens

  /**
   * A fresh access token for this consumer key, valid for the token life from `now`. With `oneTokenPerApp`,
   * the key's earlier tokens stop working.
   */
  issueToken(consumerKey: string, now: Date): string {
    const accessToken = simulatorIds.accessToken();
    if (this.settings.oneTokenPerApp === true) {
      for (const [token, holder] of this.tokens) {
        if (holder.consumerKey === consumerKey) {
          this.tokens.delete(token);
        }
      }
    }
    this.tokens.set(accessToken, {
      consumerKey,
      expiresAt: now.getTime() + this.settings.tokenTtlSeconds * 1000,
    });
    return accessToken;
  }

  /** The consumer key a live token was issued to, or null for an unknown, revoked or expired token. */
  tokenHolder(accessToken: string | undefined, now: Date): string | null {
    const token = accessToken === undefined ? undefined : this.tokens.get(accessToken);
    return token === undefined || token.expiresAt <= now.getTime() ? null : token.consumerKey;
  }

  revokeTokens(): void {
    this.tokens = new Map();
  }

  // ------------------------------------------------------------ counts

  /** A request reached `api`, faulted or not. */
  countRequest(api: SimulatorApi): void {
    this.requests[api] += 1;
  }

  /** An OAuth request named this consumer key, accepted or not. */
  countTokenRequest(consumerKey: string): void {
    this.oauthRequests[consumerKey] = (this.oauthRequests[consumerKey] ?? 0) + 1;
  }

  /** A request to an M-Pesa API carried a live token issued to this consumer key. */
  countAuthorisedRequest(consumerKey: string): void {
    this.authorisedRequests[consumerKey] = (this.authorisedRequests[consumerKey] ?? 0) + 1;
  }

  countTransactionStatusRequest(): void {
    this.transactionStatusRequests += 1;
  }

  /** An STK Query for this checkout started; `queryFinished` must follow. */
  queryStarted(checkoutRequestId: string): void {
    this.queryCounts[checkoutRequestId] = (this.queryCounts[checkoutRequestId] ?? 0) + 1;
    const inFlight = (this.queriesInFlight.get(checkoutRequestId) ?? 0) + 1;
    this.queriesInFlight.set(checkoutRequestId, inFlight);
    this.maxConcurrentQueries = Math.max(this.maxConcurrentQueries, inFlight);
  }

  queryFinished(checkoutRequestId: string): void {
    const inFlight = (this.queriesInFlight.get(checkoutRequestId) ?? 1) - 1;
    if (inFlight > 0) {
      this.queriesInFlight.set(checkoutRequestId, inFlight);
    } else {
      this.queriesInFlight.delete(checkoutRequestId);
    }
  }

  stats(): RequestStats {
    return {
      oauthRequests: { ...this.oauthRequests },
      authorisedRequests: { ...this.authorisedRequests },
      requests: { ...this.requests },
      stkPushes: this.pushBodies.total,
      b2cRequests: this.payoutBodies.total,
      transactionStatusRequests: this.transactionStatusRequests,
      stkQueries: { ...this.queryCounts },
      maxConcurrentQueriesPerCheckout: this.maxConcurrentQueries,
    };
  }

  // ------------------------------------------------------------ STK pushes and checkouts

  /** Keeps an STK push body as received, valid or not, and returns how many have been received, this one included. */
  recordPush(body: RequestBody): number {
    this.pushBodies.add(body);
    return this.pushBodies.total;
  }

  /** The most recent STK push bodies, oldest first (at most REQUEST_BODIES_KEPT). */
  recentPushBodies(): RequestBody[] {
    return this.pushBodies.list();
  }

  /**
   * A CheckoutRequestID for a push to this phone at `at`, unused so far. Two pushes to one phone in the same
   * millisecond would share one: the later moves on a millisecond.
   */
  unusedCheckoutRequestId(at: Date, phone: string): string {
    let moment = at;
    let id = simulatorIds.checkoutRequestId(moment, phone);
    while (this.checkouts.has(id)) {
      moment = new Date(moment.getTime() + 1);
      id = simulatorIds.checkoutRequestId(moment, phone);
    }
    return id;
  }

  addCheckout(checkout: CheckoutRecord): void {
    this.checkouts.set(checkout.checkoutRequestId, checkout);
  }

  checkout(checkoutRequestId: string): CheckoutRecord | null {
    return this.checkouts.get(checkoutRequestId) ?? null;
  }

  // ------------------------------------------------------------ B2C payouts

  /** Keeps a B2C payment body as received, valid or not. */
  recordPayoutRequest(body: RequestBody): void {
    this.payoutBodies.add(body);
  }

  /** The most recent B2C payment bodies, oldest first (at most REQUEST_BODIES_KEPT). */
  recentPayoutBodies(): RequestBody[] {
    return this.payoutBodies.list();
  }

  addPayout(payout: PayoutRecord): void {
    this.payouts.set(payout.originatorConversationId, payout);
  }

  payout(originatorConversationId: string): PayoutRecord | null {
    return this.payouts.get(originatorConversationId) ?? null;
  }

  /** The paid checkout whose M-Pesa receipt this is. */
  checkoutWithReceipt(receipt: string): CheckoutRecord | null {
    for (const checkout of this.checkouts.values()) {
      if (checkout.receipt === receipt) {
        return checkout;
      }
    }
    return null;
  }

  /** The first payout, oldest first, whose TransactionID is this receipt. */
  payoutWithReceipt(receipt: string): PayoutRecord | null {
    for (const payout of this.payouts.values()) {
      if (payout.receipt === receipt) {
        return payout;
      }
    }
    return null;
  }

  // ------------------------------------------------------------ receipts

  /** An M-Pesa receipt never named before (since the last reset). */
  freshReceipt(): string {
    let receipt = simulatorIds.receipt();
    while (this.receipts.has(receipt)) {
      receipt = simulatorIds.receipt();
    }
    this.receipts.add(receipt);
    return receipt;
  }

  /** Whether the simulator named this receipt (a paid push, a payout, a C2B payment) since the last reset. */
  knowsReceipt(receipt: string): boolean {
    return this.receipts.has(receipt);
  }

  /** Forgets everything but the settings. */
  reset(): void {
    this.tokens = new Map();
    this.checkouts.clear();
    this.payouts.clear();
    this.receipts.clear();
    this.pushBodies.clear();
    this.payoutBodies.clear();
    this.oauthRequests = {};
    this.authorisedRequests = {};
    this.requests = emptyRequestCounts();
    this.transactionStatusRequests = 0;
    this.queryCounts = {};
    this.queriesInFlight.clear();
    this.maxConcurrentQueries = 0;
    this.balances.reset();
  }
}

function emptyRequestCounts(): Record<SimulatorApi, number> {
  return Object.fromEntries(SIMULATOR_APIS.map((api) => [api, 0])) as Record<SimulatorApi, number>;
}

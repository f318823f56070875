import { afterEach, describe, expect, it, vi } from "vitest";
import { simulatorIds } from "../../src/adapters/daraja-simulator/simulator-ids.ts";
import { SIMULATOR_PHONES, stkOutcomeFor } from "../../src/adapters/daraja-simulator/simulator-outcomes.ts";
import type { CheckoutRecord, PayoutRecord } from "../../src/adapters/daraja-simulator/simulator-records.ts";
import { REQUEST_BODIES_KEPT, SimulatorState } from "../../src/adapters/daraja-simulator/simulator-state.ts";

const T0 = new Date("2026-03-01T09:00:00.000Z");
const later = (ms: number) => new Date(T0.getTime() + ms);

const aState = () => new SimulatorState({ delayMs: 250, tokenTtlSeconds: 60 });

function aCheckout(checkoutRequestId: string, phone = "254712345678"): CheckoutRecord {
  return {
    checkoutRequestId,
    merchantRequestId: "m-1",
    businessShortCode: "174379",
    transactionType: "CustomerPayBillOnline",
    partyB: "174379",
    phone,
    amount: 10,
    accountReference: "INV001",
    callbackUrl: "https://payme.example/hooks/stk/token",
    outcome: stkOutcomeFor(phone),
    callbackDeliveries: null,
    decimalAmount: false,
    status: "pending",
    receipt: null,
    transactionDate: null,
  };
}

function aPayout(originatorConversationId: string, receipt: string | null): PayoutRecord {
  return {
    originatorConversationId,
    conversationId: `AG_${originatorConversationId}`,
    initiatorName: "testapi",
    shortcode: "600000",
    phone: SIMULATOR_PHONES.queueTimeout,
    amount: 100,
    commandId: "BusinessPayment",
    resultUrl: "https://payme.example/hooks/b2c/result/token",
    queueTimeoutUrl: "https://payme.example/hooks/b2c/timeout/token",
    securityCredential: "x",
    outcome: null,
    callbackDeliveries: null,
    requestedAt: T0,
    status: "pending",
    receipt,
    completedAt: null,
  };
}

/** The simulator's state on its own: what it remembers, counts and forgets. */
describe("the simulator's state", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("honours a token until its life is over, or until tokens are revoked", () => {
    const state = aState();
    const token = state.issueToken("app-1", T0);
    expect(state.tokenHolder(token, later(59_999))).toBe("app-1");
    expect(state.tokenHolder(token, later(60_000))).toBeNull();
    expect(state.tokenHolder("not-a-token", T0)).toBeNull();
    expect(state.tokenHolder(undefined, T0)).toBeNull();
    const other = state.issueToken("app-2", T0);
    state.revokeTokens();
    expect(state.tokenHolder(other, T0)).toBeNull();
  });

  it("gives tokens issued after a change of token life the new life", () => {
    const state = aState();
    state.setTokenTtlSeconds(5);
    const token = state.issueToken("app-1", T0);
    expect(state.tokenHolder(token, later(4_999))).toBe("app-1");
    expect(state.tokenHolder(token, later(5_000))).toBeNull();
  });

  it("moves a CheckoutRequestID on a millisecond while the one for that moment is taken", () => {
    const state = aState();
    const first = state.unusedCheckoutRequestId(T0, "254712345678");
    state.addCheckout(aCheckout(first));
    const second = state.unusedCheckoutRequestId(T0, "254712345678");
    state.addCheckout(aCheckout(second));
    const third = state.unusedCheckoutRequestId(T0, "254712345678");
    expect(second).toBe(simulatorIds.checkoutRequestId(later(1), "254712345678"));
    expect(third).toBe(simulatorIds.checkoutRequestId(later(2), "254712345678"));
    expect(state.checkout(first)?.checkoutRequestId).toBe(first);
    expect(state.checkout(third)).toBeNull();
  });

  it("never names the same receipt twice", () => {
    const state = aState();
    vi.spyOn(simulatorIds, "receipt")
      .mockReturnValueOnce("TIK4QUB1VA")
      .mockReturnValueOnce("TIK4QUB1VA")
      .mockReturnValueOnce("TIK4QUB1VB");
    expect(state.freshReceipt()).toBe("TIK4QUB1VA");
    expect(state.freshReceipt()).toBe("TIK4QUB1VB");
  });

  it("finds a payout by its receipt, the oldest first", () => {
    const state = aState();
    state.addPayout(aPayout("a", null));
    state.addPayout(aPayout("b", "UAV0000000"));
    state.addPayout(aPayout("c", "UAV0000000"));
    expect(state.payoutWithReceipt("UAV0000000")?.originatorConversationId).toBe("b");
    expect(state.payoutWithReceipt("TIK4QUB1VA")).toBeNull();
    expect(state.payout("c")?.receipt).toBe("UAV0000000");
  });

  it("counts STK Queries per checkout and the most ever in flight at once for one", () => {
    const state = aState();
    state.queryStarted("ws_CO_1");
    state.queryStarted("ws_CO_1");
    state.queryStarted("ws_CO_2");
    state.queryFinished("ws_CO_1");
    state.queryFinished("ws_CO_1");
    state.queryStarted("ws_CO_1");
    expect(state.stats()).toMatchObject({
      stkQueries: { ws_CO_1: 3, ws_CO_2: 1 },
      maxConcurrentQueriesPerCheckout: 2,
    });
  });

  it(`keeps the last ${REQUEST_BODIES_KEPT} push and payout bodies, and counts every one`, () => {
    const state = aState();
    const extra = 3;
    let ordinal = 0;
    for (let n = 1; n <= REQUEST_BODIES_KEPT + extra; n++) {
      ordinal = state.recordPush({ n });
      state.recordPayoutRequest({ n });
    }
    expect(ordinal).toBe(REQUEST_BODIES_KEPT + extra);
    for (const bodies of [state.recentPushBodies(), state.recentPayoutBodies()]) {
      expect(bodies).toHaveLength(REQUEST_BODIES_KEPT);
      expect(bodies[0]).toEqual({ n: extra + 1 });
      expect(bodies.at(-1)).toEqual({ n: REQUEST_BODIES_KEPT + extra });
    }
    expect(state.stats()).toMatchObject({
      stkPushes: REQUEST_BODIES_KEPT + extra,
      b2cRequests: REQUEST_BODIES_KEPT + extra,
    });
  });

  it("counts requests by API and by consumer key", () => {
    const state = aState();
    state.countRequest("oauth");
    state.countRequest("stk_push");
    state.countRequest("stk_push");
    state.countTokenRequest("app-1");
    state.countAuthorisedRequest("app-1");
    state.countAuthorisedRequest("app-1");
    state.countTransactionStatusRequest();
    expect(state.stats()).toMatchObject({
      requests: { oauth: 1, stk_push: 2, stk_query: 0, b2c_payment: 0, transaction_status: 0 },
      oauthRequests: { "app-1": 1 },
      authorisedRequests: { "app-1": 2 },
      transactionStatusRequests: 1,
    });
  });

  it("forgets everything on reset but its settings", () => {
    const state = aState();
    state.setDelayMs(40);
    const token = state.issueToken("app-1", T0);
    state.addCheckout(aCheckout("ws_CO_1"));
    state.addPayout(aPayout("a", "TIK4QUB1VA"));
    state.recordPush({ n: 1 });
    state.countRequest("stk_push");
    state.queryStarted("ws_CO_1");
    state.reset();
    expect(state.tokenHolder(token, T0)).toBeNull();
    expect(state.checkout("ws_CO_1")).toBeNull();
    expect(state.payout("a")).toBeNull();
    expect(state.recentPushBodies()).toEqual([]);
    expect(state.stats()).toEqual({
      oauthRequests: {},
      authorisedRequests: {},
      requests: {
        oauth: 0,
        stk_push: 0,
        stk_query: 0,
        b2c_payment: 0,
        transaction_status: 0,
        account_balance: 0,
        c2b_register: 0,
        c2b_simulate: 0,
        pull_transactions: 0,
        reversal: 0,
      },
      stkPushes: 0,
      b2cRequests: 0,
      transactionStatusRequests: 0,
      stkQueries: {},
      maxConcurrentQueriesPerCheckout: 0,
    });
    expect(state.delayMs).toBe(40);
    expect(state.tokenTtlSeconds).toBe(60);
  });
});

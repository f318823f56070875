import { describe, expect, it } from "vitest";
import {
  gatewayAnswers,
  type ScriptedAnswer,
} from "../../../src/adapters/in-memory/in-memory-payment-gateway.ts";
import { locatorKey } from "../../../src/adapters/in-memory/in-memory-payment-locator-repository.ts";
import type { StkPushAccepted, StkQueryOutcome } from "../../../src/application/ports/payment-gateway.ts";
import type { StkCallback } from "../../../src/application/shared/daraja-notifications.ts";
import { Kes } from "../../../src/domain/kes.ts";
import { ok } from "../../../src/domain/result.ts";
import { StockLevel } from "../../../src/domain/stock-level.ts";
import { aPhone, aQuantity, asOwner, shillings, unwrap } from "../../support/builders.ts";
import { type MoneyWorld, moneyWorld, stkCallback } from "../../support/money-world.ts";

/** The money use cases of STK payments, table by table, over in-memory adapters and a scripted gateway. */

const PHONE = aPhone("0712000001");
const EXPIRE_MS = 1800 * 1000;
const paid =
  (overrides: Partial<StkCallback> = {}) =>
  (id: string) =>
    stkCallback(id, overrides);
const cancelled = (id: string) => stkCallback(id, { resultCode: "1032" });
const failed = (id: string) =>
  stkCallback(id, { resultCode: "1037", resultDesc: "DS timeout user cannot be reached" });

const callbackWith = (w: MoneyWorld, token: string | null, callback: StkCallback) =>
  w.useCases.receiveStkCallback.execute({ token, callback, body: {}, path: "/api/mpesa/stk/callback/***" });

const purchaseRow = (w: MoneyWorld) => {
  const [row] = w.tables.walletPurchases.values();
  if (row === undefined) throw new Error("no purchase stored");
  return row;
};
const saleRow = (w: MoneyWorld) => {
  const [row] = w.tables.sales.values();
  if (row === undefined) throw new Error("no sale stored");
  return row;
};
const attention = (row: { needsAttention: boolean; attentionBlocking: boolean }) =>
  row.needsAttention ? (row.attentionBlocking ? "blocking" : "informational") : null;

describe("InitiateWalletPurchase: what Daraja answers to the push", () => {
  it.each<[string, ScriptedAnswer<StkPushAccepted> | "default", string, string, string | null, string]>([
    ["accepted", "default", "pending", "accepted", "ws_CO_000001", "ok"],
    [
      "refused: subscriber busy",
      gatewayAnswers.refused("subscriber_busy"),
      "failed",
      "refused",
      null,
      "push_refused",
    ],
    ["refused: rate limited", gatewayAnswers.rateLimited(), "failed", "refused", null, "push_refused"],
    ["refused: never left PayMe", gatewayAnswers.unavailable(), "failed", "refused", null, "push_refused"],
    ["rejected (4xx)", gatewayAnswers.rejected(), "failed", "refused", null, "push_refused"],
    ["ambiguous: outcome unknown", gatewayAnswers.outcomeUnknown(), "pending", "unknown", null, "ok"],
    ["a thrown network error", gatewayAnswers.networkError(), "pending", "unknown", null, "threw"],
  ])("%s", async (_, answer, status, pushOutcome, checkoutRequestId, returned) => {
    const w = await moneyWorld();
    if (answer !== "default") w.gateway.script.stkPush.next(answer);
    const execution = w.useCases.initiateWalletPurchase.execute({
      userId: w.buyer.id,
      phone: PHONE,
      amount: shillings(100),
    });
    const result = await execution.catch(() => "threw" as const);
    expect(result === "threw" ? "threw" : result.ok ? "ok" : result.error.type).toBe(returned);
    expect(purchaseRow(w)).toMatchObject({ status, pushOutcome, checkoutRequestId, tokens: 1000 });
    expect(w.ledgerTokens()).toBe(0);
    // The push went to PayMe's paybill, for the amount asked, with the purchase's own callback URL.
    expect(w.gateway.script.stkPush.requests).toHaveLength(1);
    expect(w.gateway.script.stkPush.last).toMatchObject({
      businessShortCode: "600100",
      partyB: "600100",
      passkey: "wallet-passkey",
    });
    expect(w.gateway.script.stkPush.last.amount.value).toBe(100);
    expect(w.callbackSecrets.hashOf(w.pushToken())).toBe(purchaseRow(w).callbackTokenHash);
  });

  it("an invalid amount never becomes a command: the edge's parse refuses it, naming the field", () => {
    // The use case takes a Kes, so nothing can be stored or sent for an amount that is not one.
    const refused = Kes.forPush(0);
    expect(!refused.ok && refused.error.errors.map((e) => e.path)).toEqual(["amount"]);
  });
});

/** Has `during` run when Daraja has taken the push, before its answer reaches PayMe. */
function whilePushing(w: MoneyWorld, during: (accepted: StkPushAccepted) => Promise<unknown>) {
  const send = w.gateway.stkPush.bind(w.gateway);
  w.gateway.stkPush = async (request) => {
    const answer = await send(request);
    if (answer.ok) await during(answer.value);
    return answer;
  };
}

describe("InitiateWalletPurchase: a callback before the push's answer", () => {
  it("settles the purchase first: it stays paid, credited once, the push recorded accepted and its CheckoutRequestID locating it", async () => {
    const w = await moneyWorld();
    whilePushing(w, (accepted) =>
      callbackWith(w, w.pushToken(), paid({ merchantRequestId: "mr-callback" })(accepted.checkoutRequestId)),
    );
    const result = await w.useCases.initiateWalletPurchase.execute({
      userId: w.buyer.id,
      phone: PHONE,
      amount: shillings(100),
    });
    expect(result.ok && [result.value.status, result.value.pushOutcome]).toEqual(["paid", "accepted"]);
    expect(purchaseRow(w)).toMatchObject({
      status: "paid",
      pushOutcome: "accepted",
      checkoutRequestId: "ws_CO_000001",
      mpesaReceipt: "UAB1234567",
    });
    expect(w.ledgerTokens()).toBe(1000);
    expect(w.tables.paymentLocators.get(locatorKey("checkout_request_id", "ws_CO_000001"))).toEqual({
      kind: "wallet_purchase",
      paymentId: purchaseRow(w).id,
    });
  });
});

describe("InitiateSale: the push's answer and the stock", () => {
  it.each<[string, ScriptedAnswer<StkPushAccepted> | "default", string, string, string, number, number]>([
    ["accepted", "default", "pending", "accepted", "reserved", 3, 2],
    ["refused", gatewayAnswers.refused("merchant_not_found"), "failed", "refused", "released", 5, 0],
    ["ambiguous", gatewayAnswers.outcomeUnknown(), "pending", "unknown", "reserved", 3, 2],
    ["a thrown network error", gatewayAnswers.networkError(), "pending", "unknown", "reserved", 3, 2],
  ])("%s", async (_, answer, status, pushOutcome, stockState, stock, reserved) => {
    const w = await moneyWorld();
    if (answer !== "default") w.gateway.script.stkPush.next(answer);
    await w.useCases.initiateSale
      .execute({
        access: asOwner(w.owner.id, w.business.id, "sales:write"),
        businessId: w.business.id,
        phone: PHONE,
        items: [{ productId: w.product.id, quantity: aQuantity(2) }],
      })
      .catch(() => undefined);
    expect(saleRow(w)).toMatchObject({ status, pushOutcome, stockState, amount: { value: 100 } });
    expect(w.stock()).toEqual({ stock, reserved });
    // Through the business's own paybill and passkey.
    expect(w.gateway.script.stkPush.last).toMatchObject({
      businessShortCode: "174379",
      passkey: "business-passkey",
      accountReference: "DUKA1",
    });
  });

  it("accepted after its stock hold lapsed during the call: pending, push accepted, the stock given back", async () => {
    const w = await moneyWorld();
    whilePushing(w, async () => w.clock.advance(300_000));
    const result = await w.useCases.initiateSale.execute({
      access: asOwner(w.owner.id, w.business.id, "sales:write"),
      businessId: w.business.id,
      phone: PHONE,
      items: [{ productId: w.product.id, quantity: aQuantity(2) }],
    });
    expect(result.ok).toBe(true);
    expect(saleRow(w)).toMatchObject({ status: "pending", pushOutcome: "accepted", stockState: "released" });
    expect(w.stock()).toEqual({ stock: 5, reserved: 0 });
  });

  it("more than the stock: refused, nothing reserved, stored or sent", async () => {
    const w = await moneyWorld();
    const result = await w.useCases.initiateSale.execute({
      access: asOwner(w.owner.id, w.business.id, "sales:write"),
      businessId: w.business.id,
      phone: PHONE,
      items: [{ productId: w.product.id, quantity: aQuantity(6) }],
    });
    expect(result).toMatchObject({
      ok: false,
      error: { type: "insufficient_stock", requested: 6, available: 5 },
    });
    expect(w.tables.sales.size).toBe(0);
    expect(w.stock()).toEqual({ stock: 5, reserved: 0 });
    expect(w.gateway.script.stkPush.requests).toEqual([]);
  });

  it("two sales at once for the last units: one reserves them, the other is refused", async () => {
    const w = await moneyWorld();
    const sell = () =>
      w.useCases.initiateSale.execute({
        access: asOwner(w.owner.id, w.business.id, "sales:write"),
        businessId: w.business.id,
        phone: PHONE,
        items: [{ productId: w.product.id, quantity: aQuantity(3) }],
      });
    const results = await Promise.all([sell(), sell()]);
    expect(results.map((r) => (r.ok ? r.value.status : r.error.type)).sort()).toEqual([
      "insufficient_stock",
      "pending",
    ]);
    expect(w.stock()).toEqual({ stock: 2, reserved: 3 });
  });
});

type PurchaseStart =
  | "pending"
  | "pending, push outcome unknown"
  | "expired"
  | "failed by a refused push"
  | "cancelled"
  | "paid";

/** A wallet purchase of KES 100 (1,000 tokens) brought to `start` through the use cases; its CheckoutRequestID. */
async function purchaseIn(w: MoneyWorld, start: PurchaseStart): Promise<string> {
  if (start === "pending, push outcome unknown")
    w.gateway.script.stkPush.next(gatewayAnswers.outcomeUnknown());
  if (start === "failed by a refused push") w.gateway.script.stkPush.next(gatewayAnswers.refused());
  await w.useCases.initiateWalletPurchase.execute({
    userId: w.buyer.id,
    phone: PHONE,
    amount: shillings(100),
  });
  const checkoutRequestId = purchaseRow(w).checkoutRequestId ?? "ws_CO_LEARNED";
  if (start === "expired") {
    w.clock.advance(EXPIRE_MS + 1000);
    await w.useCases.expireStalePayments.execute({ limit: 10 });
  }
  if (start === "cancelled") await callbackWith(w, w.pushToken(), cancelled(checkoutRequestId));
  if (start === "paid") await callbackWith(w, w.pushToken(), paid()(checkoutRequestId));
  expect(purchaseRow(w).status).toBe(start.split(/[ ,]/)[0]);
  return checkoutRequestId;
}

describe("ReceiveStkCallback with the purchase's token: starting state × callback", () => {
  it.each<[PurchaseStart, string, (id: string) => StkCallback, string, number, string | null, string]>([
    ["pending", "paid", paid(), "paid", 1000, null, "applied"],
    ["pending", "paid another amount", paid({ amount: 99 }), "pending", 0, "blocking", "flagged"],
    [
      "pending",
      "paid from another phone",
      paid({ phone: "254799000000" }),
      "pending",
      0,
      "blocking",
      "flagged",
    ],
    ["pending", "cancelled (1032)", cancelled, "cancelled", 0, null, "applied"],
    ["pending", "failed (1037)", failed, "failed", 0, null, "applied"],
    ["pending, push outcome unknown", "paid", paid(), "paid", 1000, null, "applied"],
    ["expired", "paid", paid(), "paid", 1000, null, "applied"],
    ["expired", "cancelled (1032)", cancelled, "expired", 0, null, "no_change"],
    ["failed by a refused push", "paid", paid(), "paid", 1000, "informational", "applied"],
    ["cancelled", "paid", paid(), "cancelled", 0, "blocking", "flagged"],
    ["cancelled", "cancelled again", cancelled, "cancelled", 0, null, "no_change"],
    ["paid", "paid again (a duplicate)", paid(), "paid", 1000, null, "no_change"],
    ["paid", "cancelled (late and wrong)", cancelled, "paid", 1000, null, "no_change"],
  ])("%s + %s", async (start, _, callback, status, tokens, flag, disposition) => {
    const w = await moneyWorld();
    const checkoutRequestId = await purchaseIn(w, start);
    const received = await callbackWith(w, w.pushToken(), callback(checkoutRequestId));
    expect(received).toMatchObject({ trusted: true, disposition, toConfirm: null });
    const row = purchaseRow(w);
    expect(row).toMatchObject({ status, checkoutRequestId });
    expect(attention(row)).toBe(flag);
    expect(w.ledgerTokens()).toBe(tokens);
    expect(w.tables.walletLedger.size).toBe(tokens > 0 ? 1 : 0);
    expect(w.audits().at(-1)).toBe(disposition);
  });
});

describe("ReceiveStkCallback on a sale: the stock follows the payment", () => {
  type SaleStart = "held" | "hold lapsed" | "hold lapsed, stock sold meanwhile";
  it.each<[SaleStart, string, (id: string) => StkCallback, string, string, number, number, string | null]>([
    ["held", "paid", paid(), "paid", "committed", 3, 0, null],
    ["held", "cancelled", cancelled, "cancelled", "released", 5, 0, null],
    ["held", "failed", failed, "failed", "released", 5, 0, null],
    ["hold lapsed", "paid", paid(), "paid", "committed", 3, 0, null],
    ["hold lapsed", "cancelled", cancelled, "cancelled", "released", 5, 0, null],
    ["hold lapsed, stock sold meanwhile", "paid", paid(), "paid", "released", 1, 0, "informational"],
  ])("%s + %s", async (start, _, callback, status, stockState, stock, reserved, flag) => {
    const w = await moneyWorld();
    const items = [{ productId: w.product.id, quantity: aQuantity(2) }];
    await w.useCases.initiateSale.execute({
      access: asOwner(w.owner.id, w.business.id, "sales:write"),
      businessId: w.business.id,
      phone: PHONE,
      items,
    });
    const token = w.pushToken();
    if (start !== "held") {
      w.clock.advance(300_000);
      expect(await w.useCases.releaseLapsedHolds.execute({ limit: 10 })).toBe(1);
      expect(w.stock()).toEqual({ stock: 5, reserved: 0 });
    }
    if (start === "hold lapsed, stock sold meanwhile") {
      await w.useCases.updateProduct.execute({
        access: asOwner(w.owner.id, w.business.id, "products:write"),
        businessId: w.business.id,
        productId: w.product.id,
        changes: { stock: unwrap(StockLevel.parse(1)) },
      });
    }
    await callbackWith(w, token, callback("ws_CO_000001"));
    const row = saleRow(w);
    expect(row).toMatchObject({ status, stockState });
    expect(attention(row)).toBe(flag);
    expect(w.stock()).toEqual({ stock, reserved });
    // A paid sale proves the config it went through.
    expect(w.tables.paymentConfigs.get(w.config.id)?.verified).toBe(status === "paid");
  });
});

describe("an untrusted callback (unknown token, bare path) is applied only as an STK Query confirms it", () => {
  it.each<
    [
      string,
      string | null,
      (id: string) => StkCallback,
      ScriptedAnswer<StkQueryOutcome>,
      string,
      string,
      number,
    ]
  >([
    ["paid, query says paid", "forged", paid(), ok({ type: "paid" }), "confirmed", "paid", 1000],
    ["paid on the bare path, query says paid", null, paid(), ok({ type: "paid" }), "confirmed", "paid", 1000],
    [
      "paid, query says still processing",
      "forged",
      paid(),
      ok({ type: "pending" }),
      "unconfirmed",
      "pending",
      0,
    ],
    [
      "paid, query says cancelled",
      "forged",
      paid(),
      ok({ type: "unsuccessful", resultCode: "1032", description: "cancelled" }),
      "unconfirmed",
      "pending",
      0,
    ],
    [
      "paid, query not answered",
      "forged",
      paid(),
      gatewayAnswers.outcomeUnknown(),
      "unconfirmed",
      "pending",
      0,
    ],
    [
      "cancelled, query says cancelled",
      "forged",
      cancelled,
      ok({ type: "unsuccessful", resultCode: "1032", description: "cancelled" }),
      "confirmed",
      "cancelled",
      0,
    ],
    ["cancelled, query says paid", "forged", cancelled, ok({ type: "paid" }), "unconfirmed", "pending", 0],
  ])("%s", async (_, token, callback, queryAnswer, disposition, status, tokens) => {
    const w = await moneyWorld();
    await purchaseIn(w, "pending");
    const received = await callbackWith(w, token, callback("ws_CO_000001"));
    expect(received).toMatchObject({ trusted: false, disposition: "awaiting_confirmation" });
    if (received.toConfirm === null) throw new Error("expected a callback to confirm");
    w.gateway.script.stkQuery.next(queryAnswer);
    const confirmed = await w.useCases.confirmStkCallback.execute({
      recordId: received.recordId,
      ...received.toConfirm,
    });
    expect(confirmed).toBe(disposition);
    expect(purchaseRow(w).status).toBe(status);
    expect(w.ledgerTokens()).toBe(tokens);
    // The query went through PayMe's paybill, about the callback's CheckoutRequestID; the audit says what came of it.
    expect(w.gateway.script.stkQuery.last).toMatchObject({
      businessShortCode: "600100",
      checkoutRequestId: "ws_CO_000001",
    });
    expect(w.audits()).toEqual([disposition]);
  });

  it("a callback for a CheckoutRequestID PayMe never sent is recorded, unknown, and asks nothing", async () => {
    const w = await moneyWorld();
    const received = await callbackWith(w, null, paid()("ws_CO_NOBODY"));
    expect(received).toMatchObject({ trusted: false, disposition: "unknown_payment", toConfirm: null });
    expect(w.audits()).toEqual(["unknown_payment"]);
  });
});

describe("CheckPendingPayments: what the STK Query says", () => {
  it.each<[string, ScriptedAnswer<StkQueryOutcome>, string, number, number]>([
    ["paid", ok({ type: "paid" }), "paid", 1, 1000],
    [
      "cancelled (1032)",
      ok({ type: "unsuccessful", resultCode: "1032", description: "cancelled" }),
      "cancelled",
      1,
      0,
    ],
    [
      "failed (2001)",
      ok({ type: "unsuccessful", resultCode: "2001", description: "wrong PIN" }),
      "failed",
      1,
      0,
    ],
    ["still processing", ok({ type: "pending" }), "pending", 0, 0],
    ["no answer (outcome unknown)", gatewayAnswers.outcomeUnknown(), "pending", 0, 0],
  ])("%s", async (_, answer, status, settled, tokens) => {
    const w = await moneyWorld();
    await purchaseIn(w, "pending");
    w.clock.advance(60_000);
    w.gateway.script.stkQuery.next(answer);
    expect(await w.useCases.checkPendingPayments.execute({ limit: 10 })).toEqual({ checked: 1, settled });
    expect(purchaseRow(w)).toMatchObject({ status, checkAttempts: 1 });
    expect(w.ledgerTokens()).toBe(tokens);
    // Not asked again before its back-off is over.
    await w.useCases.checkPendingPayments.execute({ limit: 10 });
    expect(w.gateway.script.stkQuery.requests).toHaveLength(1);
  });

  it.each<[string, (w: MoneyWorld) => Promise<void>]>([
    ["younger than RECONCILE_AFTER_SECONDS", async () => undefined],
    ["without a CheckoutRequestID (push outcome unknown)", async (w) => w.clock.advance(60_000)],
    [
      "flagged, blocking",
      async (w) => {
        await callbackWith(w, w.pushToken(), paid({ amount: 1 })("ws_CO_000001"));
        w.clock.advance(60_000);
      },
    ],
  ])("a payment %s is not asked about", async (name, arrange) => {
    const w = await moneyWorld();
    await purchaseIn(w, name.includes("unknown") ? "pending, push outcome unknown" : "pending");
    await arrange(w);
    expect(await w.useCases.checkPendingPayments.execute({ limit: 10 })).toEqual({ checked: 0, settled: 0 });
    expect(w.gateway.script.stkQuery.requests).toEqual([]);
  });

  it("a pass told to stop hands back what it claimed and did not ask about: due now, the attempt not counted", async () => {
    const w = await moneyWorld();
    await purchaseIn(w, "pending");
    w.clock.advance(60_000);
    const report = await w.useCases.checkPendingPayments.execute({ limit: 10, stopping: { aborted: true } });
    expect(report).toEqual({ checked: 0, settled: 0, handedBack: 1 });
    expect(w.gateway.script.stkQuery.requests).toEqual([]);
    expect(purchaseRow(w)).toMatchObject({ status: "pending", checkAttempts: 0 });
    // Another instance's pass (or this one's next start) asks about it at once, without the back-off.
    w.gateway.script.stkQuery.next(ok({ type: "paid" }));
    expect(await w.useCases.checkPendingPayments.execute({ limit: 10 })).toEqual({ checked: 1, settled: 1 });
    expect(purchaseRow(w)).toMatchObject({ status: "paid", checkAttempts: 1 });
  });

  it("a query that throws leaves the payment pending, its next check scheduled", async () => {
    const w = await moneyWorld();
    await purchaseIn(w, "pending");
    w.clock.advance(60_000);
    w.gateway.script.stkQuery.next(gatewayAnswers.networkError());
    await expect(w.useCases.checkPendingPayments.execute({ limit: 10 })).rejects.toThrow("socket hang up");
    expect(purchaseRow(w)).toMatchObject({ status: "pending", checkAttempts: 1 });
  });
});

describe("ExpireStalePayments and ReleaseLapsedHolds", () => {
  it.each<[string, PurchaseStart | "blocked", number, string, string | null]>([
    ["pending, push accepted", "pending", EXPIRE_MS, "expired", null],
    ["pending, push outcome unknown", "pending, push outcome unknown", EXPIRE_MS, "expired", "informational"],
    ["pending, not yet old enough", "pending", EXPIRE_MS - 1000, "pending", null],
    ["flagged, blocking", "blocked", EXPIRE_MS, "pending", "blocking"],
    ["already paid", "paid", EXPIRE_MS, "paid", null],
  ])("a purchase %s", async (_, start, elapsed, status, flag) => {
    const w = await moneyWorld();
    await purchaseIn(w, start === "blocked" ? "pending" : start);
    if (start === "blocked") await callbackWith(w, w.pushToken(), paid({ amount: 1 })("ws_CO_000001"));
    w.clock.advance(elapsed);
    await w.useCases.expireStalePayments.execute({ limit: 10 });
    expect(purchaseRow(w).status).toBe(status);
    expect(attention(purchaseRow(w))).toBe(flag);
  });

  it("an expiring sale gives its stock back", async () => {
    const w = await moneyWorld();
    await w.useCases.initiateSale.execute({
      access: asOwner(w.owner.id, w.business.id, "sales:write"),
      businessId: w.business.id,
      phone: PHONE,
      items: [{ productId: w.product.id, quantity: aQuantity(2) }],
    });
    w.clock.advance(EXPIRE_MS);
    expect(await w.useCases.expireStalePayments.execute({ limit: 10 })).toBe(1);
    expect(saleRow(w)).toMatchObject({ status: "expired", stockState: "released" });
    expect(w.stock()).toEqual({ stock: 5, reserved: 0 });
  });

  it.each<[string, number, boolean, number, string]>([
    ["before its hold ends", 299_000, true, 0, "reserved"],
    ["once its hold ends", 300_000, true, 1, "released"],
    ["a plain-amount sale (nothing held)", 300_000, false, 0, "none"],
  ])("ReleaseLapsedHolds on a pending sale %s", async (_, elapsed, withItems, released, stockState) => {
    const w = await moneyWorld();
    const what = withItems
      ? { items: [{ productId: w.product.id, quantity: aQuantity(2) }] }
      : { amount: shillings(100) };
    await w.useCases.initiateSale.execute({
      access: asOwner(w.owner.id, w.business.id, "sales:write"),
      businessId: w.business.id,
      phone: PHONE,
      ...what,
    });
    w.clock.advance(elapsed);
    expect(await w.useCases.releaseLapsedHolds.execute({ limit: 10 })).toBe(released);
    expect(saleRow(w)).toMatchObject({ status: "pending", stockState });
    expect(w.stock()).toEqual(
      withItems && released === 0 ? { stock: 3, reserved: 2 } : { stock: 5, reserved: 0 },
    );
  });
});

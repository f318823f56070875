import { describe, expect, it } from "vitest";
import { Kes } from "../../../src/domain/kes.ts";
import { Refund, type RefundablePayment } from "../../../src/domain/refund.ts";

const paid: RefundablePayment = {
  status: "paid",
  amount: 200,
  receipt: "UAB1234567",
  phoneKnown: true,
  alreadyRefunded: 0,
};

const aRefund = (method: "reversal" | "b2c" = "reversal") =>
  Refund.create({
    id: "refund-1",
    businessId: "business-1",
    requestedBy: "user-1",
    saleId: "sale-1",
    c2bPaymentId: null,
    originalReceipt: "UAB1234567",
    method,
    amount: Kes.restore(200),
    reason: null,
    restock: method === "reversal",
    payoutId: method === "b2c" ? "payout-1" : null,
    paymentConfigId: method === "reversal" ? "config-1" : null,
    originatorConversationId: "occ-1",
    callbackTokenHash: method === "reversal" ? "hash-1" : null,
    createdAt: new Date("2026-03-01T09:00:00Z"),
  });
const at = new Date("2026-03-01T09:05:00Z");

describe("Refund.plan: how a refund is made, or why it cannot be", () => {
  it.each<[string, Partial<RefundablePayment>, number | null, string]>([
    ["the whole payment, nothing refunded yet: a reversal", {}, null, "reversal 200"],
    ["the whole amount given: a reversal", {}, 200, "reversal 200"],
    ["part of it: B2C", {}, 50, "b2c 50"],
    ["KES 10, B2C's minimum", {}, 10, "b2c 10"],
    ["everything left after a partial refund: B2C of the rest", { alreadyRefunded: 50 }, null, "b2c 150"],
    ["not paid", { status: "pending" }, null, "the payment is pending, not paid"],
    ["failed", { status: "failed" }, 50, "the payment is failed, not paid"],
    ["no receipt yet (settled by STK Query)", { receipt: null }, null, "no M-Pesa receipt yet"],
    ["nothing left", { alreadyRefunded: 200 }, null, "nothing is left to refund"],
    ["more than what is left", { alreadyRefunded: 150 }, 60, "only KES 50 of KES 200 is left"],
    ["below KES 10", {}, 9, "at least KES 10"],
    ["part of it with the phone masked", { phoneKnown: false }, 50, "masked"],
    ["the whole of it with the phone masked: a reversal", { phoneKnown: false }, null, "reversal 200"],
  ])("%s", (_, payment, requested, expected) => {
    const plan = Refund.plan({ ...paid, ...payment }, requested);
    const said = plan.ok ? `${plan.value.method} ${plan.value.amount}` : plan.error.reason;
    expect(said).toContain(expected);
  });
});

describe("Refund: pending → completed | failed", () => {
  it("completes once, with the receipt, and reports the change once", () => {
    const refund = aRefund();
    expect(refund.complete({ receipt: "UAR0000001", at })).toEqual({ ok: true, value: true });
    expect(refund.takeStatusChange()).toBe("completed");
    expect(refund.complete({ receipt: "UAR0000001", at })).toEqual({ ok: true, value: false });
    expect(refund.takeStatusChange()).toBeNull();
    expect(refund).toMatchObject({ status: "completed", mpesaReceipt: "UAR0000001", resultCode: "0" });
    expect(refund.fail({ resultCode: "R000001", at }).ok).toBe(false);
  });

  it("fails with M-Pesa's reason, and a failed refund no longer holds its amount", () => {
    const refund = aRefund();
    expect(refund.holdsAmount).toBe(true);
    refund.fail({ resultCode: "R000001", description: "The transaction has already been reversed.", at });
    expect(refund).toMatchObject({ status: "failed", failureReason: "the payment was already reversed" });
    expect(refund.holdsAmount).toBe(false);
    const unknown = aRefund();
    unknown.fail({ resultCode: "X42", description: "Something new", at });
    expect(unknown.failureReason).toBe("Something new");
  });

  it("a success after a failure M-Pesa reported changes nothing but a flag", () => {
    const refund = aRefund();
    refund.fail({ resultCode: "R000002", at });
    refund.takeStatusChange();
    expect(refund.complete({ receipt: "UAR0000002", at })).toEqual({ ok: true, value: false });
    expect(refund).toMatchObject({ status: "failed", needsAttention: true });
    expect(refund.takeStatusChange()).toBeNull();
  });

  it("a success after PayMe recorded a refused request completes it, flagged: the money moved", () => {
    const refund = aRefund();
    refund.markRequestRefused("Daraja refused", at);
    expect(refund.pushOutcome).toBe("refused");
    expect(refund.complete({ receipt: "UAR0000003", at })).toEqual({ ok: true, value: true });
    expect(refund).toMatchObject({ status: "completed", needsAttention: true });
  });

  it("a queue timeout and a status query leave it pending; neither is allowed once it is final", () => {
    const refund = aRefund();
    expect(refund.recordQueueTimeout(at).ok).toBe(true);
    expect(refund.recordStatusQuery("status-hash", at).ok).toBe(true);
    expect(refund).toMatchObject({ status: "pending", statusQueries: 1, statusTokenHash: "status-hash" });
    refund.complete({ receipt: "UAR0000004", at });
    expect(refund.recordStatusQuery("again", at).ok).toBe(false);
    expect(refund.recordQueueTimeout(at).ok).toBe(false);
  });

  it("a B2C refund fails with its payout, and is carried by one payout only", () => {
    const refund = aRefund("b2c");
    refund.failWithPayout({ resultCode: "2040", failureReason: "the recipient is not registered", at });
    expect(refund).toMatchObject({ status: "failed", resultCode: "2040" });
    expect(() =>
      Refund.create({ ...aRefund("reversal").snapshot(), payoutId: "payout-2", createdAt: at }),
    ).toThrow(/payout/);
  });
});

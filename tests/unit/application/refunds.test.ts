import { describe, expect, it } from "vitest";
import { gatewayAnswers } from "../../../src/adapters/in-memory/in-memory-payment-gateway.ts";
import type { B2cResult } from "../../../src/application/shared/daraja-notifications.ts";
import { Kes } from "../../../src/domain/kes.ts";
import { SECRET_FIELDS, secretBinding } from "../../../src/domain/sealed-secret.ts";
import { aPhone, aSale, asOwner, unwrap } from "../../support/builders.ts";
import { type MoneyWorld, moneyWorld } from "../../support/money-world.ts";

/** The refund use cases over in-memory adapters and a scripted gateway. */

/** Past the grace period for a result (60 s), well before giving up (30 min). */
const LATER_MS = 5 * 60_000;

/** The world's business, its config given an initiator, and a sale of KES 200 paid by its prompt. */
async function withPaidSale(options: { receipt?: string | null; initiator?: boolean } = {}) {
  const w = await moneyWorld();
  if (options.initiator !== false) {
    const row = w.tables.paymentConfigs.get(w.config.id);
    if (row === undefined) throw new Error("no config");
    w.tables.paymentConfigs.set(w.config.id, {
      ...row,
      initiator: {
        name: "apiop",
        password: await w.secretBox.seal(
          "initiator-password",
          secretBinding(w.business.id, SECRET_FIELDS.paymentInitiatorPassword),
        ),
      },
    });
  }
  const sale = aSale(w.business.id, {
    amount: 200,
    paymentConfigId: w.config.id,
    phone: aPhone("0712000001"),
  });
  sale.markPaid({
    receipt: options.receipt === undefined ? "UAB1234567" : options.receipt,
    amount: 200,
    phone: aPhone("0712000001"),
    at: w.clock.now(),
  });
  await w.uow.run((r) => r.sales.add(sale));
  return { w, sale };
}

const refund = (w: MoneyWorld, saleId: string, amount?: number) =>
  w.useCases.initiateRefund.execute({
    access: asOwner(w.owner.id, w.business.id, "refunds:write"),
    target: { kind: "sale", id: saleId },
    amount: amount === undefined ? null : Kes.restore(amount),
    reason: null,
    restock: null,
  });

const outbox = (w: MoneyWorld) => [...w.tables.outboxEvents.values()].map((event) => event.type);
const tokenOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);

const reversalResult = (originatorConversationId: string, overrides: Partial<B2cResult> = {}): B2cResult => ({
  resultType: 0,
  resultCode: "0",
  resultDesc: "The service request is processed successfully.",
  originatorConversationId,
  conversationId: "AG_reversal_1",
  transactionId: "UAR7654321",
  receipt: null,
  amount: 200,
  recipientName: null,
  completedAt: null,
  transactionStatus: null,
  parameters: {},
  ...overrides,
});

describe("InitiateRefund and the reversal's callbacks", () => {
  it("a reversal whose answer is lost stays pending; its result, delivered twice, completes it once", async () => {
    const { w, sale } = await withPaidSale();
    w.gateway.script.reverse.next(gatewayAnswers.outcomeUnknown());
    const started = unwrap(await refund(w, sale.id));
    expect(started).toMatchObject({ status: "pending", pushOutcome: "unknown", method: "reversal" });
    const request = w.gateway.script.reverse.last;
    expect(request).toMatchObject({ receipt: "UAB1234567", remarks: "Refund" });
    expect(request.amount.value).toBe(200);
    expect(request.resultUrl).toMatch(/\/api\/mpesa\/reversal\/result\/[^/]+$/);

    const deliver = () =>
      w.useCases.receiveReversalCallback.execute({
        token: tokenOf(request.resultUrl),
        callback: { kind: "reversal_result", result: reversalResult(request.originatorConversationId) },
        body: {},
        path: "/api/mpesa/reversal/result/[token]",
      });
    expect((await deliver()).disposition).toBe("applied");
    expect((await deliver()).disposition).toBe("no_change");
    const stored = w.tables.refunds.get(started.id);
    expect(stored).toMatchObject({ status: "completed", mpesaReceipt: "UAR7654321" });
    expect(w.tables.sales.get(sale.id)?.refundedAmount).toBe(200);
    expect(outbox(w).filter((type) => type === "refund.completed")).toHaveLength(1);
    expect(outbox(w).filter((type) => type === "sale.refunded")).toHaveLength(1);
  });

  it("an unknown token is audited and trusted with nothing", async () => {
    const { w, sale } = await withPaidSale();
    const started = unwrap(await refund(w, sale.id));
    const received = await w.useCases.receiveReversalCallback.execute({
      token: "not-a-token-we-issued",
      callback: { kind: "reversal_result", result: reversalResult("forged") },
      body: {},
      path: "/api/mpesa/reversal/result/[token]",
    });
    expect(received).toMatchObject({ trusted: false, disposition: "unknown_payment" });
    expect(w.tables.refunds.get(started.id)?.status).toBe("pending");
  });

  it("a definite refusal fails the refund at once (refund.failed), and the amount may be refunded again", async () => {
    const { w, sale } = await withPaidSale();
    w.gateway.script.reverse.next(gatewayAnswers.refused("invalid_credentials"));
    const refused = await refund(w, sale.id);
    expect(refused.ok ? null : refused.error.type).toBe("refund_refused");
    const [row] = w.tables.refunds.values();
    expect(row).toMatchObject({ status: "failed", pushOutcome: "refused" });
    expect(outbox(w)).toContain("refund.failed");
    expect(unwrap(await refund(w, sale.id)).status).toBe("pending");
  });

  it("a duplicate OriginatorConversationID means an earlier reversal was taken: pending, push outcome accepted", async () => {
    const { w, sale } = await withPaidSale();
    w.gateway.script.reverse.next(gatewayAnswers.alreadyAccepted());
    expect(unwrap(await refund(w, sale.id))).toMatchObject({ status: "pending", pushOutcome: "accepted" });
  });

  it("a sale settled by STK Query has no receipt yet: not refundable, and nothing is sent", async () => {
    const { w, sale } = await withPaidSale({ receipt: null });
    const answer = await refund(w, sale.id);
    expect(answer.ok ? null : answer.error).toMatchObject({
      type: "not_refundable",
      reason: expect.stringMatching(/no M-Pesa receipt yet/),
    });
    expect(w.gateway.script.reverse.requests).toHaveLength(0);
  });

  it("a reversal left pending is asked about by Transaction Status, with the reversal's id, and its result settles it", async () => {
    const { w, sale } = await withPaidSale();
    const started = unwrap(await refund(w, sale.id));
    const occ = w.tables.refunds.get(started.id)?.originatorConversationId ?? "";
    const run = await w.useCases.queryPendingRefunds.execute({
      now: new Date(w.clock.now().getTime() + LATER_MS),
      limit: 10,
    });
    expect(run).toEqual({ claimed: 1, sent: 1, refused: 0 });
    const query = w.gateway.script.transactionStatus.last;
    expect(query.originatorConversationId).toBe(occ);
    expect(query.resultUrl).toMatch(/\/api\/mpesa\/reversal\/status\/result\//);
    const received = await w.useCases.receiveReversalCallback.execute({
      token: tokenOf(query.resultUrl),
      callback: {
        kind: "status_result",
        result: reversalResult("status-query", {
          transactionId: null,
          receipt: "UAR1111111",
          transactionStatus: "Completed",
          parameters: { OriginatorConversationID: occ },
        }),
      },
      body: {},
      path: "/api/mpesa/reversal/status/result/[token]",
    });
    expect(received.disposition).toBe("applied");
    expect(w.tables.refunds.get(started.id)).toMatchObject({
      status: "completed",
      mpesaReceipt: "UAR1111111",
    });
  });
});

describe("A partial refund follows its payout", () => {
  it("the payout's failure result fails the refund with the payout's reason", async () => {
    const { w, sale } = await withPaidSale({ initiator: false });
    const started = unwrap(await refund(w, sale.id, 50));
    expect(started).toMatchObject({ method: "b2c", pushOutcome: "accepted" });
    const request = w.gateway.script.b2cPayment.last;
    expect(request.phone.value).toBe("254712000001");
    expect(request.remarks).toMatch(/^Refund /);
    await w.useCases.receivePayoutCallback.execute({
      token: w.payoutToken(),
      callback: {
        kind: "b2c_result",
        result: reversalResult(request.originatorConversationId, {
          resultCode: "2040",
          resultDesc: "Credit Party customer type can't be supported by the service.",
          transactionId: null,
        }),
      },
      body: {},
      path: "/api/mpesa/b2c/result/[token]",
    });
    expect(w.tables.refunds.get(started.id)).toMatchObject({
      status: "failed",
      resultCode: "2040",
      failureReason: "the recipient is not a registered M-Pesa customer",
    });
    expect(outbox(w)).toEqual(expect.arrayContaining(["payout.failed", "refund.failed"]));
    expect(w.tables.sales.get(sale.id)?.refundedAmount).toBe(0);
  });
});

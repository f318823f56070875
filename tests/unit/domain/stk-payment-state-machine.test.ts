import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PaymentStatus } from "../../../src/domain/stk-payment.ts";
import { aPhone, aWalletPurchase, T0 } from "../../support/builders.ts";

const ASKED_PHONE = aPhone("0712345678");
const OTHER_PHONE = aPhone("0722000000");
const at = new Date(T0.getTime() + 60_000);

type Command =
  | { kind: "paid"; receipt: string | null; amount: number | null; samePhone: boolean | null }
  | { kind: "unsuccessful"; code: string }
  | { kind: "pushRefused" }
  | { kind: "expire" }
  | { kind: "checkout"; id: string };

type Model = { status: PaymentStatus; flagged: boolean; receipt: string | null; checkout: string | null };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant("paid" as const),
    receipt: fc.option(fc.constantFrom("RCP0000001", "RCP0000002"), { nil: null }),
    amount: fc.option(fc.constantFrom(100, 99, 101), { nil: null }),
    samePhone: fc.option(fc.boolean(), { nil: null }),
  }),
  fc.record({
    kind: fc.constant("unsuccessful" as const),
    code: fc.constantFrom("1032", "1", "1037", "2001", "SFC_IC0003"),
  }),
  fc.constant({ kind: "pushRefused" as const }),
  fc.constant({ kind: "expire" as const }),
  fc.record({ kind: fc.constant("checkout" as const), id: fc.constantFrom("ws_CO_1", "ws_CO_2") }),
);

/** The contract's state table, written out independently of the implementation. */
function expected(model: Model, cmd: Command): { accepted: boolean; next: Model } {
  const refuse = { accepted: false, next: model };
  const open = model.status === "pending" && !model.flagged;
  switch (cmd.kind) {
    case "paid": {
      if (model.status === "paid") {
        return model.receipt === null && cmd.receipt !== null
          ? { accepted: true, next: { ...model, receipt: cmd.receipt } }
          : refuse;
      }
      if ((model.status !== "pending" && model.status !== "expired") || model.flagged) {
        return refuse;
      }
      const mismatch = (cmd.amount !== null && cmd.amount !== 100) || cmd.samePhone === false;
      return mismatch
        ? { accepted: true, next: { ...model, flagged: true } }
        : { accepted: true, next: { ...model, status: "paid", receipt: cmd.receipt } };
    }
    case "unsuccessful":
      return open
        ? { accepted: true, next: { ...model, status: cmd.code === "1032" ? "cancelled" : "failed" } }
        : refuse;
    case "pushRefused":
      return open && model.checkout === null
        ? { accepted: true, next: { ...model, status: "failed" } }
        : refuse;
    case "expire":
      return open ? { accepted: true, next: { ...model, status: "expired" } } : refuse;
    case "checkout":
      return model.checkout !== null && model.checkout !== cmd.id
        ? refuse
        : { accepted: true, next: { ...model, checkout: cmd.id } };
  }
}

describe("the STK payment state machine", () => {
  it("follows the contract's state table for any sequence of events", () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 12 }), (commands) => {
        const payment = aWalletPurchase("00000000-0000-7000-8000-000000000001", {
          amount: 100,
          phone: ASKED_PHONE,
        });
        let model: Model = { status: "pending", flagged: false, receipt: null, checkout: null };
        for (const cmd of commands) {
          const before = payment.status;
          const result =
            cmd.kind === "paid"
              ? payment.markPaid({
                  receipt: cmd.receipt,
                  amount: cmd.amount,
                  phone: cmd.samePhone === null ? null : cmd.samePhone ? ASKED_PHONE : OTHER_PHONE,
                  at,
                })
              : cmd.kind === "unsuccessful"
                ? payment.markUnsuccessful(cmd.code, undefined, at)
                : cmd.kind === "pushRefused"
                  ? payment.markPushRefused("Daraja said no", at)
                  : cmd.kind === "expire"
                    ? payment.expire(at)
                    : payment.recordCheckout(cmd.id, null);
          const want = expected(model, cmd);
          expect(result.ok, `${cmd.kind} from ${before}`).toBe(want.accepted);
          model = want.next;
          expect(payment.status).toBe(model.status);
          expect(payment.needsAttention).toBe(model.flagged);
          expect(payment.mpesaReceipt).toBe(model.receipt);
          expect(payment.checkoutRequestId).toBe(model.checkout);
          if (before === "paid" || before === "cancelled" || before === "failed") {
            expect(payment.status).toBe(before);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses to cancel a paid payment, or to pay it twice", () => {
    const purchase = aWalletPurchase("u1");
    expect(purchase.markPaid({ receipt: "NLJ7RT61SV", amount: 100, phone: null, at }).ok).toBe(true);
    const cancel = purchase.markUnsuccessful("1032", "Request cancelled by user", at);
    expect(cancel.ok).toBe(false);
    expect(!cancel.ok && cancel.error).toMatchObject({
      type: "transition_refused",
      from: "paid",
      attempted: "cancelled",
    });
    const again = purchase.markPaid({ receipt: "NLJ7RT61SV", amount: 100, phone: null, at });
    expect(again.ok).toBe(false);
    expect(purchase.status).toBe("paid");
  });

  it("lets a later callback fill in the receipt a query could not give", () => {
    const purchase = aWalletPurchase("u1");
    expect(purchase.markPaid({ receipt: null, amount: null, phone: null, at }).ok).toBe(true);
    const filled = purchase.markPaid({ receipt: "NLJ7RT61SV", amount: 100, phone: null, at });
    expect(filled.ok && filled.value).toBe("receipt_filled");
    expect(purchase.mpesaReceipt).toBe("NLJ7RT61SV");
    expect(purchase.markPaid({ receipt: "OTHER00000", amount: 100, phone: null, at }).ok).toBe(false);
    expect(purchase.mpesaReceipt).toBe("NLJ7RT61SV");
  });

  it("flags a success for the wrong amount and leaves it pending", () => {
    const purchase = aWalletPurchase("u1", { amount: 100 });
    const result = purchase.markPaid({ receipt: "NLJ7RT61SV", amount: 1, phone: null, at });
    expect(result.ok && result.value).toBe("flagged");
    expect(purchase.status).toBe("pending");
    expect(purchase.needsAttention).toBe(true);
    expect(purchase.attentionReason).toMatch(/1 paid, but 100 was asked/);
    expect(purchase.mpesaReceipt).toBeNull();
  });

  it("keeps the code and a readable reason for a failure", () => {
    const purchase = aWalletPurchase("u1");
    expect(purchase.markUnsuccessful("1037", "DS timeout user cannot be reached", at).ok).toBe(true);
    expect(purchase.status).toBe("failed");
    expect(purchase.resultCode).toBe("1037");
    expect(purchase.failureReason).toBe("the phone could not be reached");
    const unknown = aWalletPurchase("u1");
    unknown.markUnsuccessful("4242", "Something new from Safaricom", at);
    expect(unknown.failureReason).toBe("Something new from Safaricom");
  });

  it("moves an expired payment to paid on a definitive success, and to nothing else", () => {
    const purchase = aWalletPurchase("u1");
    expect(purchase.expire(at).ok).toBe(true);
    expect(purchase.markUnsuccessful("1032", undefined, at).ok).toBe(false);
    expect(purchase.markPaid({ receipt: "NLJ7RT61SV", amount: 100, phone: ASKED_PHONE, at }).ok).toBe(true);
    expect(purchase.status).toBe("paid");
    expect(purchase.expiredAt).toEqual(at);
  });

  it("marks a push Daraja refused as failed only before Daraja accepted it", () => {
    const refused = aWalletPurchase("u1");
    expect(refused.markPushRefused("The customer's phone is busy", at).ok).toBe(true);
    expect(refused.status).toBe("failed");
    const accepted = aWalletPurchase("u1");
    accepted.recordCheckout("ws_CO_1", "mr-1");
    expect(accepted.markPushRefused("late", at).ok).toBe(false);
    expect(accepted.status).toBe("pending");
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PushOutcome } from "../../../src/domain/push-outcome.ts";
import type { AttentionKind, PaymentStatus } from "../../../src/domain/stk-payment.ts";
import { WalletPurchase } from "../../../src/domain/wallet-purchase.ts";
import { aPhone, aWalletPurchase, T0, unwrap } from "../../support/builders.ts";

const ASKED_PHONE = aPhone("0712345678");
const OTHER_PHONE = aPhone("0722000000");
const at = new Date(T0.getTime() + 60_000);

type Command =
  | { kind: "paid"; receipt: string | null; amount: number | null; samePhone: boolean | null }
  | { kind: "unsuccessful"; code: string }
  | { kind: "pushRefused" }
  | { kind: "pushAccepted"; id: string }
  | { kind: "expire" }
  | { kind: "checkout"; id: string }
  | { kind: "flag"; attention: AttentionKind };

type Model = {
  status: PaymentStatus;
  flag: AttentionKind | null;
  receipt: string | null;
  checkout: string | null;
  pushOutcome: PushOutcome;
  resultCode: string | null;
  /** The other receipts a paid payment was paid again with (each flags it once). */
  paidAgain: readonly string[];
};

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
  fc.record({ kind: fc.constant("pushAccepted" as const), id: fc.constantFrom("ws_CO_1", "ws_CO_2") }),
  fc.constant({ kind: "expire" as const }),
  fc.record({ kind: fc.constant("checkout" as const), id: fc.constantFrom("ws_CO_1", "ws_CO_2") }),
  fc.record({
    kind: fc.constant("flag" as const),
    attention: fc.constantFrom<AttentionKind>("blocking", "informational"),
  }),
);

/** The contract's state table ("Payment states"), written out independently of the implementation. */
function expected(model: Model, cmd: Command): { accepted: boolean; next: Model } {
  const refuse = { accepted: false, next: model };
  const blocked = model.flag === "blocking";
  const open = model.status === "pending" && !blocked;
  // PayMe recorded the failure itself, from a refused push, without hearing from Daraja.
  const failedLocally =
    model.status === "failed" && model.pushOutcome === "refused" && model.resultCode === null;
  // A failure (or cancellation) Daraja reported with a ResultCode.
  const reported = (model.status === "failed" || model.status === "cancelled") && model.resultCode !== null;
  const withFlag = (kind: AttentionKind): AttentionKind =>
    kind === "blocking" || model.flag === "blocking" ? "blocking" : "informational";
  switch (cmd.kind) {
    case "paid": {
      if (model.status === "paid") {
        if (model.receipt === null && cmd.receipt !== null) {
          return { accepted: true, next: { ...model, receipt: cmd.receipt } };
        }
        // Money moved again under another receipt: a person is told, once per receipt; nothing else changes.
        return cmd.receipt !== null && cmd.receipt !== model.receipt && !model.paidAgain.includes(cmd.receipt)
          ? {
              accepted: true,
              next: {
                ...model,
                flag: withFlag("informational"),
                paidAgain: [...model.paidAgain, cmd.receipt],
              },
            }
          : refuse;
      }
      if (blocked) {
        return refuse;
      }
      if (model.status !== "pending" && model.status !== "expired" && !failedLocally) {
        // A success after a failure Daraja reported changes nothing but a blocking flag.
        return reported ? { accepted: true, next: { ...model, flag: "blocking" } } : refuse;
      }
      const mismatch = (cmd.amount !== null && cmd.amount !== 100) || cmd.samePhone === false;
      if (mismatch) {
        return { accepted: true, next: { ...model, flag: "blocking" } };
      }
      return {
        accepted: true,
        next: {
          ...model,
          status: "paid",
          receipt: cmd.receipt,
          resultCode: "0",
          flag: failedLocally ? withFlag("informational") : model.flag,
        },
      };
    }
    case "unsuccessful":
      return open
        ? {
            accepted: true,
            next: { ...model, status: cmd.code === "1032" ? "cancelled" : "failed", resultCode: cmd.code },
          }
        : refuse;
    case "pushRefused":
      return open && model.checkout === null
        ? { accepted: true, next: { ...model, status: "failed", pushOutcome: "refused" } }
        : refuse;
    case "pushAccepted":
      return model.checkout !== null && model.checkout !== cmd.id
        ? refuse
        : { accepted: true, next: { ...model, checkout: cmd.id, pushOutcome: "accepted" } };
    case "expire":
      return open
        ? {
            accepted: true,
            next: {
              ...model,
              status: "expired",
              // Never named by M-Pesa, it cannot be queried: a person checks the statement.
              flag: model.checkout === null ? withFlag("informational") : model.flag,
            },
          }
        : refuse;
    case "checkout":
      return model.checkout !== null && model.checkout !== cmd.id
        ? refuse
        : { accepted: true, next: { ...model, checkout: cmd.id } };
    case "flag":
      return { accepted: true, next: { ...model, flag: withFlag(cmd.attention) } };
  }
}

function run(payment: WalletPurchase, cmd: Command): boolean {
  switch (cmd.kind) {
    case "paid":
      return payment.markPaid({
        receipt: cmd.receipt,
        amount: cmd.amount,
        phone: cmd.samePhone === null ? null : cmd.samePhone ? ASKED_PHONE : OTHER_PHONE,
        at,
      }).ok;
    case "unsuccessful":
      return payment.markUnsuccessful(cmd.code, undefined, at).ok;
    case "pushRefused":
      return payment.markPushRefused("Daraja said no", at).ok;
    case "pushAccepted":
      return payment.recordPushAccepted(cmd.id, null).ok;
    case "expire":
      return payment.expire(at).ok;
    case "checkout":
      return payment.recordCheckout(cmd.id, null).ok;
    case "flag":
      payment.flag(`a reason (${cmd.attention})`, cmd.attention);
      return true;
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
        let model: Model = {
          status: "pending",
          flag: null,
          receipt: null,
          checkout: null,
          pushOutcome: "unknown",
          resultCode: null,
          paidAgain: [],
        };
        for (const cmd of commands) {
          const before = payment.status;
          const wasLocal = payment.failedLocally;
          const want = expected(model, cmd);
          expect(run(payment, cmd), `${cmd.kind} from ${before}`).toBe(want.accepted);
          model = want.next;
          expect(payment.status).toBe(model.status);
          expect(payment.needsAttention).toBe(model.flag !== null);
          expect(payment.attentionKind).toBe(model.flag);
          expect(payment.mpesaReceipt).toBe(model.receipt);
          expect(payment.checkoutRequestId).toBe(model.checkout);
          expect(payment.pushOutcome).toBe(model.pushOutcome);
          expect(payment.resultCode).toBe(model.resultCode);
          // Final states stay final; the one way out of failed is a success PayMe alone had refused.
          if (before === "paid" || before === "cancelled" || (before === "failed" && !wasLocal)) {
            expect(payment.status).toBe(before);
          }
          if (before === "failed" && payment.status !== "failed") {
            expect([payment.status, payment.attentionKind]).toEqual(["paid", "informational"]);
          }
        }
      }),
      { numRuns: 3000 },
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
    expect(purchase.mpesaReceipt).toBe("NLJ7RT61SV");
  });

  it("flags a paid payment paid again under another receipt, once, and keeps its first receipt", () => {
    const purchase = aWalletPurchase("u1");
    expect(purchase.markPaid({ receipt: "NLJ7RT61SV", amount: 100, phone: null, at }).ok).toBe(true);
    purchase.takeChanges();
    const again = purchase.markPaid({ receipt: "OTHER00000", amount: 100, phone: null, at });
    expect(again.ok && again.value).toBe("flagged");
    expect([purchase.status, purchase.mpesaReceipt, purchase.attentionKind]).toEqual([
      "paid",
      "NLJ7RT61SV",
      "informational",
    ]);
    expect(purchase.attentionReason).toMatch(/paid again with receipt OTHER00000 after receipt NLJ7RT61SV/);
    expect(purchase.takeChanges()).toEqual({ status: null, flagged: true });
    // The same second receipt again (a duplicate callback) changes nothing more.
    expect(purchase.markPaid({ receipt: "OTHER00000", amount: 100, phone: null, at }).ok).toBe(false);
    expect(purchase.takeChanges()).toEqual({ status: null, flagged: false });
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

describe("answers that do not say, and successes after a failure", () => {
  const success = { receipt: "NLJ7RT61SV", amount: 100, phone: ASKED_PHONE, at };

  it("starts with push outcome unknown, until Daraja's answer says accepted or refused", () => {
    const purchase = aWalletPurchase("u1");
    expect(purchase.pushOutcome).toBe("unknown");
    unwrap(purchase.recordPushAccepted("ws_CO_1", "mr-1"));
    expect([purchase.pushOutcome, purchase.status]).toEqual(["accepted", "pending"]);
    const refused = aWalletPurchase("u1");
    unwrap(refused.markPushRefused("M-Pesa refused the phone number.", at));
    expect([refused.pushOutcome, refused.status, refused.failedLocally]).toEqual(["refused", "failed", true]);
  });

  it("applies a trusted success to a payment PayMe itself recorded failed: paid, flagged for information", () => {
    const purchase = aWalletPurchase("u1", { amount: 100, phone: ASKED_PHONE });
    unwrap(purchase.markPushRefused("M-Pesa refused the phone number.", at));
    // The callback names the push, then says it was paid.
    unwrap(purchase.recordCheckout("ws_CO_late", null));
    expect(unwrap(purchase.markPaid(success))).toBe("paid");
    expect(purchase.status).toBe("paid");
    expect(purchase.mpesaReceipt).toBe("NLJ7RT61SV");
    expect(purchase.pushOutcome).toBe("refused");
    expect(purchase.attentionKind).toBe("informational");
    expect(purchase.attentionReason).toMatch(
      /paid after it was recorded as failed \(M-Pesa refused the phone/,
    );
    expect(purchase.failureReason).toBeNull();
  });

  it("does not apply a success that differs from what a locally failed payment asked: it is blocked instead", () => {
    const purchase = aWalletPurchase("u1", { amount: 100 });
    unwrap(purchase.markPushRefused("refused", at));
    expect(unwrap(purchase.markPaid({ ...success, amount: 5 }))).toBe("flagged");
    expect([purchase.status, purchase.attentionKind]).toEqual(["failed", "blocking"]);
    expect(purchase.markPaid(success).ok).toBe(false);
  });

  it("keeps a failure Daraja reported final: a later success only flags it, once, and blocks it", () => {
    for (const code of ["1037", "1032"]) {
      const purchase = aWalletPurchase("u1");
      unwrap(purchase.recordPushAccepted("ws_CO_1", null));
      unwrap(purchase.markUnsuccessful(code, undefined, at));
      const status = purchase.status;
      expect(unwrap(purchase.markPaid(success))).toBe("flagged");
      expect(purchase.status).toBe(status);
      expect(purchase.mpesaReceipt).toBeNull();
      expect(purchase.attentionKind).toBe("blocking");
      expect(purchase.attentionReason).toMatch(/success after it had reported/);
      expect(purchase.markPaid(success).ok).toBe(false);
    }
  });

  it("leaves a row failed before push outcomes were kept as it is", () => {
    const legacy = aWalletPurchase("u1");
    unwrap(legacy.markPushRefused("M-Pesa could not be reached", at));
    const restored = WalletPurchase.restore({ ...legacy.snapshot(), pushOutcome: null });
    expect(restored.failedLocally).toBe(false);
    expect(restored.markPaid(success).ok).toBe(false);
    expect([restored.status, restored.needsAttention]).toEqual(["failed", false]);
  });

  it("flags a payment that never learned its CheckoutRequestID at expiry; a late callback still settles it", () => {
    const unnamed = aWalletPurchase("u1");
    unwrap(unnamed.expire(at));
    expect([unnamed.status, unnamed.attentionKind]).toEqual(["expired", "informational"]);
    expect(unnamed.attentionReason).toMatch(/push outcome unknown/);
    expect(unnamed.payable).toBe(true);
    unwrap(unnamed.recordCheckout("ws_CO_late", null));
    expect(unwrap(unnamed.markPaid(success))).toBe("paid");
    expect(unnamed.status).toBe("paid");

    const named = aWalletPurchase("u1");
    unwrap(named.recordPushAccepted("ws_CO_1", null));
    unwrap(named.expire(at));
    expect([named.status, named.needsAttention]).toEqual(["expired", false]);
  });

  it("lets an informational flag be settled, and a blocking one stop everything", () => {
    const informed = aWalletPurchase("u1");
    informed.flag("for a person to know", "informational");
    expect(informed.markUnsuccessful("1037", undefined, at).ok).toBe(true);

    const blocked = aWalletPurchase("u1");
    blocked.flag("M-Pesa reports 1 paid, but 100 was asked", "blocking");
    blocked.flag("for a person to know", "informational");
    expect(blocked.attentionKind).toBe("blocking");
    expect(blocked.attentionReason).toBe("M-Pesa reports 1 paid, but 100 was asked; for a person to know");
    expect(blocked.markUnsuccessful("1037", undefined, at).ok).toBe(false);
    expect(blocked.expire(at).ok).toBe(false);
    expect(blocked.markPaid(success).ok).toBe(false);
  });
});

import { expect, it } from "vitest";
import { UniqueViolation } from "../../src/application/ports/repository-errors.ts";
import type { StkPaymentRepository } from "../../src/application/ports/stk-payment-repository.ts";
import type { Repositories, UnitOfWork } from "../../src/application/ports/unit-of-work.ts";
import type { StkPayment } from "../../src/domain/stk-payment.ts";
import { aProduct, aSale, aWalletPurchase, T0, unwrap } from "../support/builders.ts";
import { deferred } from "../support/deferred.ts";
import { describeContract, seedConfig, seedOwner } from "./harness.ts";

/** What both STK payment stores must do alike, whatever the payment kind. */

function stkPaymentContract<P extends StkPayment>(
  uow: () => UnitOfWork,
  store: (r: Repositories) => StkPaymentRepository<P>,
  make: (createdAt?: Date) => Promise<P>,
  kind: string,
) {
  it("names a payment in the locator by its callback token, and by its CheckoutRequestID once recorded", async () => {
    const payment = await make();
    await uow().run((r) => store(r).add(payment));
    const locate = (channel: "callback_token" | "checkout_request_id", key: string) =>
      uow().run((r) => r.paymentLocators.find(channel, key));
    expect(await locate("callback_token", payment.callbackTokenHash)).toEqual({
      kind,
      paymentId: payment.id,
    });
    const checkout = `ws_CO_${payment.id}`;
    expect(await locate("checkout_request_id", checkout)).toBeNull();

    unwrap(payment.recordCheckout(checkout, "mr-1"));
    await uow().run((r) => store(r).update(payment));
    expect(await locate("checkout_request_id", checkout)).toEqual({ kind, paymentId: payment.id });
    // Saving it again (a settlement) leaves the locator as it was.
    unwrap(payment.markPaid({ receipt: `R${payment.id.slice(-9)}`, amount: null, phone: null, at: T0 }));
    await uow().run((r) => store(r).update(payment));
    expect(await locate("checkout_request_id", checkout)).toEqual({ kind, paymentId: payment.id });
    expect(await locate("checkout_request_id", `ws_CO_unknown_${payment.id}`)).toBeNull();
  });

  it("finds the payment itself through the locator, by either key, as its own store reads it", async () => {
    const payment = await make();
    const checkout = `ws_CO_found_${payment.id}`;
    await uow().run((r) => store(r).add(payment));
    unwrap(payment.recordCheckout(checkout, "mr-1"));
    await uow().run((r) => store(r).update(payment));
    const own = await uow().run((r) => store(r).findById(payment.id));
    for (const [channel, key] of [
      ["callback_token", payment.callbackTokenHash],
      ["checkout_request_id", checkout],
    ] as const) {
      for (const lock of [false, true]) {
        const found = await uow().run((r) => r.paymentLocators.findPayment(channel, key, { lock }));
        expect(found?.kind).toBe(kind);
        expect(found?.payment.constructor).toBe(own?.constructor);
        expect(found?.payment.snapshot()).toEqual(own?.snapshot());
      }
    }
    expect(
      await uow().run((r) =>
        r.paymentLocators.findPayment("checkout_request_id", `ws_CO_none_${payment.id}`, { lock: true }),
      ),
    ).toBeNull();
    // A key on one channel names nothing on the other.
    expect(
      await uow().run((r) => r.paymentLocators.findPayment("callback_token", checkout, { lock: false })),
    ).toBeNull();
  });

  it("holds a payment found with lock until its transaction ends", async () => {
    const payment = await make();
    await uow().run((r) => store(r).add(payment));
    const order: string[] = [];
    const held = deferred();
    const locked = deferred();
    const first = uow().run(async (r) => {
      await r.paymentLocators.findPayment("callback_token", payment.callbackTokenHash, { lock: true });
      locked.resolve();
      await held.promise;
      order.push("first ends");
    });
    await locked.promise;
    const second = uow().run(async (r) => {
      await r.paymentLocators.findPayment("callback_token", payment.callbackTokenHash, { lock: true });
      order.push("second has it");
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    held.resolve();
    await Promise.all([first, second]);
    expect(order).toEqual(["first ends", "second has it"]);
  });

  it("writes nothing to the locator when the transaction that adds the payment rolls back", async () => {
    const payment = await make();
    await expect(
      uow().run(async (r) => {
        await store(r).add(payment);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(
      await uow().run((r) => r.paymentLocators.find("callback_token", payment.callbackTokenHash)),
    ).toBeNull();
  });

  it("stores a payment and finds it by id, locked or not", async () => {
    const payment = await make();
    await uow().run((r) => store(r).add(payment));
    expect((await uow().run((r) => store(r).findById(payment.id)))?.snapshot()).toEqual(payment.snapshot());

    unwrap(payment.recordCheckout(`ws_CO_${payment.id}`, "mr-1"));
    await uow().run((r) => store(r).update(payment));
    const found = await uow().run((r) => store(r).findById(payment.id, { lock: true }));
    expect(found?.snapshot()).toEqual(payment.snapshot());
  });

  it("saves every transition and the fields it sets", async () => {
    const payment = await make();
    await uow().run((r) => store(r).add(payment));
    unwrap(payment.recordCheckout(`ws_CO_${payment.id}`, "mr"));
    unwrap(
      payment.markPaid({
        receipt: `R${payment.id.slice(-9)}`,
        amount: payment.amount.value,
        phone: null,
        at: T0,
      }),
    );
    await uow().run((r) => store(r).update(payment));
    const paid = await uow().run((r) => store(r).findById(payment.id));
    expect(paid?.snapshot()).toEqual(payment.snapshot());
    expect(paid?.status).toBe("paid");
  });

  it("refuses a second payment with the same CheckoutRequestID or receipt", async () => {
    const first = await make();
    const second = await make();
    const checkout = `ws_CO_dup_${first.id}`;
    unwrap(first.recordCheckout(checkout, null));
    unwrap(second.recordCheckout(checkout, null));
    await uow().run((r) => store(r).add(first));
    await expect(uow().run((r) => store(r).add(second))).rejects.toBeInstanceOf(UniqueViolation);

    const third = await make();
    const fourth = await make();
    const receipt = `Q${first.id.slice(-9)}`;
    unwrap(third.markPaid({ receipt, amount: null, phone: null, at: T0 }));
    unwrap(fourth.markPaid({ receipt, amount: null, phone: null, at: T0 }));
    await uow().run((r) => store(r).add(third));
    await expect(uow().run((r) => store(r).add(fourth))).rejects.toBeInstanceOf(UniqueViolation);
    expect(await uow().run((r) => store(r).findById(fourth.id))).toBeNull();
  });

  it("keeps what Daraja answered to the push and the kind of flag", async () => {
    const accepted = await make();
    const refused = await make();
    const informational = await make();
    unwrap(accepted.recordPushAccepted(`ws_CO_acc_${accepted.id}`, "mr"));
    unwrap(refused.markPushRefused("M-Pesa refused the phone number.", T0));
    informational.flag("push outcome unknown", "informational");
    await uow().run(async (r) => {
      for (const p of [accepted, refused, informational]) {
        await store(r).add(p);
      }
    });
    const load = (id: string) => uow().run((r) => store(r).findById(id));
    expect((await load(accepted.id))?.pushOutcome).toBe("accepted");
    expect((await load(refused.id))?.snapshot()).toEqual(refused.snapshot());
    expect((await load(refused.id))?.failedLocally).toBe(true);
    const flagged = await load(informational.id);
    expect([flagged?.pushOutcome, flagged?.attentionKind]).toEqual(["unknown", "informational"]);
    flagged?.flag("amount differs", "blocking");
    await uow().run(async (r) => (flagged === null ? undefined : store(r).update(flagged)));
    expect((await load(informational.id))?.attentionKind).toBe("blocking");
  });

  it("records an accepted push on a payment still as added, in one write outside a transaction, its CheckoutRequestID locating it", async () => {
    const payment = await make();
    await uow().run((r) => store(r).add(payment));
    const checkout = `ws_CO_fast_${payment.id}`;
    unwrap(payment.recordPushAccepted(checkout, "mr-push"));

    const recorded = await uow().autocommit((r) => store(r).recordAcceptedPush(payment));

    expect(recorded?.snapshot()).toEqual(payment.snapshot());
    const stored = await uow().read((r) => store(r).findById(payment.id));
    expect(stored?.snapshot()).toEqual(payment.snapshot());
    expect([
      stored?.status,
      stored?.pushOutcome,
      stored?.checkoutRequestId,
      stored?.merchantRequestId,
    ]).toEqual(["pending", "accepted", checkout, "mr-push"]);
    expect(await uow().read((r) => r.paymentLocators.find("checkout_request_id", checkout))).toEqual({
      kind,
      paymentId: payment.id,
    });
    // Recorded once: the row is no longer as it was added.
    expect(await uow().autocommit((r) => store(r).recordAcceptedPush(payment))).toBeNull();
  });

  it("leaves a payment a callback settled before its push answer as the callback left it, its CheckoutRequestID still locating it", async () => {
    const payment = await make();
    await uow().run((r) => store(r).add(payment));
    const checkout = `ws_CO_race_${payment.id}`;
    const receipt = `S${payment.id.slice(-9)}`;
    // The callback (found by its token) settles the payment, recording the CheckoutRequestID it carries.
    await uow().run(async (r) => {
      const current = await store(r).findById(payment.id, { lock: true });
      if (current === null) throw new Error("the payment is gone");
      unwrap(current.recordCheckout(checkout, "mr-callback"));
      unwrap(current.markPaid({ receipt, amount: null, phone: null, at: T0 }));
      await store(r).update(current);
    });
    const settled = await uow().read((r) => store(r).findById(payment.id));

    // Then the push's answer, applied to the payment as it was added.
    unwrap(payment.recordPushAccepted(checkout, "mr-push"));
    expect(await uow().autocommit((r) => store(r).recordAcceptedPush(payment))).toBeNull();

    const stored = await uow().read((r) => store(r).findById(payment.id));
    expect(stored?.snapshot()).toEqual(settled?.snapshot());
    expect([stored?.status, stored?.mpesaReceipt, stored?.merchantRequestId]).toEqual([
      "paid",
      receipt,
      "mr-callback",
    ]);
    expect(await uow().read((r) => r.paymentLocators.find("checkout_request_id", checkout))).toEqual({
      kind,
      paymentId: payment.id,
    });
  });

  it("waits for a settlement holding the payment, then finds it changed and writes nothing", async () => {
    const payment = await make();
    await uow().run((r) => store(r).add(payment));
    const checkout = `ws_CO_wait_${payment.id}`;
    const held = deferred();
    const locked = deferred();
    const settlement = uow().run(async (r) => {
      const current = await store(r).findById(payment.id, { lock: true });
      if (current === null) throw new Error("the payment is gone");
      locked.resolve();
      await held.promise;
      unwrap(current.recordCheckout(checkout, "mr-callback"));
      unwrap(current.markUnsuccessful("1032", undefined, T0));
      await store(r).update(current);
    });
    await locked.promise;
    unwrap(payment.recordPushAccepted(checkout, "mr-push"));
    const answer = uow().autocommit((r) => store(r).recordAcceptedPush(payment));
    await new Promise((resolve) => setTimeout(resolve, 50));
    held.resolve();
    await settlement;

    expect(await answer).toBeNull();
    const stored = await uow().read((r) => store(r).findById(payment.id));
    expect([stored?.status, stored?.pushOutcome, stored?.merchantRequestId]).toEqual([
      "cancelled",
      "unknown",
      "mr-callback",
    ]);
  });

  it("claims open payments oldest first, leaving out settled, blocked and not-yet-accepted ones", async () => {
    const base = new Date("2030-01-01T00:00:00Z");
    const at = (minutes: number) => new Date(base.getTime() + minutes * 60_000);
    const old = await make(at(1));
    const older = await make(at(0));
    const recent = await make(at(30));
    const settled = await make(at(2));
    const flagged = await make(at(3));
    const unaccepted = await make(at(4));
    const informed = await make(at(5));
    for (const p of [old, older, recent, settled, flagged, informed]) {
      unwrap(p.recordCheckout(`ws_CO_claim_${p.id}`, null));
    }
    unwrap(settled.markUnsuccessful("1032", undefined, at(5)));
    flagged.flag("amount differs", "blocking");
    // An informational flag leaves the payment free to be settled.
    informed.flag("for a person to know", "informational");
    await uow().run(async (r) => {
      for (const p of [old, older, recent, settled, flagged, unaccepted, informed]) {
        await store(r).add(p);
      }
    });
    const claimed = await uow().run((r) =>
      store(r).claimOpen({ now: at(10), createdBefore: at(10), limit: 10 }),
    );
    const mine = new Set([old, older, recent, settled, flagged, unaccepted, informed].map((p) => p.id));
    const ours = claimed.map((p) => p.id).filter((id) => mine.has(id));
    expect(ours).toEqual([older.id, old.id, informed.id]);
    const limited = await uow().run((r) =>
      store(r).claimOpen({ now: at(10), createdBefore: at(10), limit: 1 }),
    );
    expect(limited).toHaveLength(1);

    // Scheduled for later: not due now, due once its time has come.
    old.scheduleCheck(at(20));
    await uow().run((r) => store(r).update(old));
    const beforeSchedule = await uow().run((r) =>
      store(r).claimOpen({ now: at(15), createdBefore: at(10), limit: 10 }),
    );
    expect(beforeSchedule.map((p) => p.id).filter((id) => mine.has(id))).toEqual([older.id, informed.id]);
    const afterSchedule = await uow().run((r) =>
      store(r).claimOpen({ now: at(20), createdBefore: at(10), limit: 10 }),
    );
    expect(afterSchedule.map((p) => p.id).filter((id) => mine.has(id))).toEqual([
      older.id,
      old.id,
      informed.id,
    ]);
    const saved = await uow().run((r) => store(r).findById(old.id));
    expect([saved?.checkAttempts, saved?.nextCheckAt?.toISOString()]).toEqual([1, at(20).toISOString()]);

    // Expiry takes every unsettled payment without a blocking flag, accepted by Daraja or not.
    const unsettled = await uow().run((r) => store(r).claimUnsettled(at(10), 100));
    expect(unsettled.map((p) => p.id).filter((id) => mine.has(id))).toEqual([
      older.id,
      old.id,
      unaccepted.id,
      informed.id,
    ]);
  });
}

describeContract("WalletPurchaseRepository", ({ uow }) => {
  const make = async (createdAt?: Date) => {
    const { user } = await seedOwner(uow());
    return aWalletPurchase(user.id, createdAt === undefined ? {} : { createdAt });
  };
  stkPaymentContract(uow, (r) => r.walletPurchases, make, "wallet_purchase");

  it("shows a purchase only to its buyer", async () => {
    const purchase = await make();
    const stranger = await seedOwner(uow());
    await uow().run((r) => r.walletPurchases.add(purchase));
    expect((await uow().run((r) => r.walletPurchases.findOwned(purchase.id, purchase.userId)))?.id).toBe(
      purchase.id,
    );
    expect(await uow().run((r) => r.walletPurchases.findOwned(purchase.id, stranger.user.id))).toBeNull();
  });
});

describeContract("SaleRepository", ({ uow }) => {
  const make = async (createdAt?: Date) => {
    const { business } = await seedOwner(uow());
    const config = await seedConfig(uow(), business.id);
    const product = aProduct(business.id, { stock: 10, price: 40 });
    await uow().run((r) => r.products.add(product));
    return aSale(business.id, { paymentConfigId: config.id, lines: [{ product, quantity: 3 }], createdAt });
  };
  stkPaymentContract(uow, (r) => r.sales, make, "sale");

  it("keeps the items and the stock state", async () => {
    const sale = await make();
    await uow().run((r) => r.sales.add(sale));
    const found = await uow().run((r) => r.sales.findById(sale.id));
    expect(found?.items.map((i) => [i.quantity, i.unitPrice.value])).toEqual([[3, 40]]);
    expect([found?.stockState, found?.amount.value]).toEqual(["reserved", 120]);
  });

  it("lists a business's sales newest first, by status", async () => {
    const { business } = await seedOwner(uow());
    const config = await seedConfig(uow(), business.id);
    const [ten, twenty, thirty] = [10, 20, 30].map((amount) =>
      aSale(business.id, { paymentConfigId: config.id, amount }),
    );
    if (ten === undefined || twenty === undefined || thirty === undefined) {
      throw new Error("three sales expected");
    }
    unwrap(twenty.markUnsuccessful("1", undefined, T0));
    await uow().run(async (r) => {
      for (const sale of [ten, twenty, thirty]) {
        await r.sales.add(sale);
      }
    });
    const all = await uow().run((r) => r.sales.listByBusiness(business.id, {}, { limit: 10, cursor: null }));
    expect(all.items.map((s) => s.amount.value)).toEqual([30, 20, 10]);
    const pending = await uow().run((r) =>
      r.sales.listByBusiness(business.id, { status: "pending" }, { limit: 1, cursor: null }),
    );
    expect(pending.items.map((s) => s.amount.value)).toEqual([30]);
    const next = await uow().run((r) =>
      r.sales.listByBusiness(business.id, { status: "pending" }, { limit: 1, cursor: pending.nextCursor }),
    );
    expect(next.items.map((s) => s.amount.value)).toEqual([10]);
    expect(next.nextCursor).toBeNull();
  });
});

import { createHash } from "node:crypto";
import { expect, it } from "vitest";
import { C2B_SHORTCODE_UNIQUE } from "../../src/application/ports/c2b-registration-repository.ts";
import { UniqueViolation } from "../../src/application/ports/repository-errors.ts";
import { SALE_REFERENCE_UNIQUE } from "../../src/application/ports/sale-repository.ts";
import { C2bPayment } from "../../src/domain/c2b-payment.ts";
import { C2bRegistration } from "../../src/domain/c2b-registration.ts";
import { Kes } from "../../src/domain/kes.ts";
import { SaleReference } from "../../src/domain/sale-reference.ts";
import { anId, aReference, aSale, T0 } from "../support/builders.ts";
import { describeContract, seedConfig, seedOwner } from "./harness.ts";

let counter = 0;
const receipt = () => `RC${String(++counter).padStart(6, "0")}${anId().slice(-2).toUpperCase()}`;

const aPayment = (
  businessId: string,
  overrides: Partial<{
    receipt: string;
    amount: number;
    paidAt: Date;
    accountNumber: string | null;
    payerName: string | null;
    phone: string;
  }> = {},
) =>
  C2bPayment.record({
    id: anId(),
    businessId,
    receipt: overrides.receipt ?? receipt(),
    amount: Kes.restore(overrides.amount ?? 100),
    phone: overrides.phone ?? "2547 ***** 126",
    payerName: overrides.payerName ?? "JANE",
    accountNumber: overrides.accountNumber ?? null,
    transactionType: "Pay Bill",
    shortcode: "600100",
    paidAt: overrides.paidAt ?? T0,
    source: "confirmation",
    createdAt: T0,
  });

const aRegistration = (businessId: string, shortcode: string) =>
  C2bRegistration.create({
    id: anId(),
    businessId,
    shortcode,
    tokenHash: `hash-${anId()}`,
    tokenHint: "abcd",
    responseType: "Completed",
    validation: { enabled: true, minAmount: 10, maxAmount: null, requireKnownAccount: true },
    confirmationUrl: "http://x/hooks/c2b/confirmation/****abcd",
    validationUrl: "http://x/hooks/c2b/validation/****abcd",
    darajaResponse: { ResponseCode: "0" },
    registeredAt: T0,
  });

describeContract("C2B payments and registrations", ({ uow }) => {
  it("records a receipt once: a second add of it answers false and changes nothing", async () => {
    const { business } = await seedOwner(uow());
    const first = aPayment(business.id);
    expect(await uow().run((r) => r.c2bPayments.addIfNew(first))).toBe(true);
    const again = aPayment(business.id, { receipt: first.receipt, amount: 999 });
    expect(await uow().run((r) => r.c2bPayments.addIfNew(again))).toBe(false);
    const stored = await uow().run((r) => r.c2bPayments.findByReceipt(first.receipt, { lock: true }));
    expect(stored?.snapshot()).toEqual(first.snapshot());
    expect(await uow().run((r) => r.c2bPayments.findById(again.id))).toBeNull();
    stored?.flag("checked");
    stored?.settles(anId());
    if (stored !== null && stored !== undefined) {
      // matchedSaleId is a plain id: no sale needs to exist for it in the store.
      await uow().run((r) => r.c2bPayments.update(stored));
    }
    const updated = await uow().run((r) => r.c2bPayments.findById(first.id));
    expect(updated?.needsAttention).toBe(true);
    expect(updated?.attentionReason).toBe("checked");
  });

  it("lists a business's payments newest first, filtered by time and text, with totals over the whole set", async () => {
    const { business } = await seedOwner(uow());
    const { business: other } = await seedOwner(uow());
    const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
    const payments = [
      aPayment(business.id, { amount: 100, paidAt: at(1), accountNumber: "ABC123" }),
      aPayment(business.id, { amount: 200, paidAt: at(2), payerName: "Wanjiru" }),
      aPayment(business.id, { amount: 300, paidAt: at(3) }),
      aPayment(other.id, { amount: 5000, paidAt: at(2) }),
    ];
    for (const payment of payments) {
      await uow().run((r) => r.c2bPayments.addIfNew(payment));
    }
    const page = await uow().run((r) =>
      r.c2bPayments.listByBusiness(business.id, {}, { limit: 2, cursor: null }),
    );
    expect(page.items.map((p) => p.amount.value)).toEqual([300, 200]);
    expect(page.nextCursor).not.toBeNull();
    const rest = await uow().run((r) =>
      r.c2bPayments.listByBusiness(business.id, {}, { limit: 2, cursor: page.nextCursor }),
    );
    expect(rest.items.map((p) => p.amount.value)).toEqual([100]);
    expect(await uow().run((r) => r.c2bPayments.totals(business.id, {}))).toEqual({ count: 3, amount: 600 });
    expect(await uow().run((r) => r.c2bPayments.totals(business.id, { from: at(2), to: at(3) }))).toEqual({
      count: 1,
      amount: 200,
    });
    expect(await uow().run((r) => r.c2bPayments.totals(business.id, { q: "wanj" }))).toEqual({
      count: 1,
      amount: 200,
    });
    expect(await uow().run((r) => r.c2bPayments.totals(business.id, { q: "abc1" }))).toEqual({
      count: 1,
      amount: 100,
    });
    expect(await uow().run((r) => r.c2bPayments.totals(business.id, { q: "100%" }))).toEqual({
      count: 0,
      amount: 0,
    });
  });

  it("filters by phone where Daraja sent it in the clear or as its SHA-256 hex, never by a masked one", async () => {
    const { business } = await seedOwner(uow());
    const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
    const payments = [
      aPayment(business.id, { amount: 1, phone: "254712345678" }),
      aPayment(business.id, { amount: 2, phone: sha256("254712345678") }),
      aPayment(business.id, { amount: 4, phone: sha256("254712345678").toUpperCase() }),
      aPayment(business.id, { amount: 8, phone: "2547 ***** 678" }),
      aPayment(business.id, { amount: 16, phone: "254712345679" }),
      aPayment(business.id, { amount: 32, phone: sha256("254712345679") }),
    ];
    for (const payment of payments) {
      await uow().run((r) => r.c2bPayments.addIfNew(payment));
    }
    const filter = { phone: "254712345678" };
    expect(await uow().run((r) => r.c2bPayments.totals(business.id, filter))).toEqual({
      count: 3,
      amount: 7,
    });
    const listed = await uow().run((r) =>
      r.c2bPayments.listByBusiness(business.id, filter, { limit: 10, cursor: null }),
    );
    expect(listed.items.map((p) => p.amount.value).sort((a, b) => a - b)).toEqual([1, 2, 4]);
    // A search that reads as that phone finds the same payments.
    const search = { q: "0712345678", qPhone: "254712345678" };
    expect(await uow().run((r) => r.c2bPayments.totals(business.id, search))).toEqual({
      count: 3,
      amount: 7,
    });
  });

  it("keeps one registration per business, found by token hash, and a shortcode for one business only", async () => {
    const { business } = await seedOwner(uow());
    const { business: rival } = await seedOwner(uow());
    const shortcode = String(700_000 + (counter++ % 99_999));
    const first = aRegistration(business.id, shortcode);
    await uow().run((r) => r.c2bRegistrations.save(first));
    const second = aRegistration(business.id, shortcode);
    await uow().run((r) => r.c2bRegistrations.save(second));
    expect((await uow().run((r) => r.c2bRegistrations.findByBusiness(business.id)))?.snapshot()).toEqual(
      second.snapshot(),
    );
    expect(await uow().run((r) => r.c2bRegistrations.findByTokenHash(first.tokenHash))).toBeNull();
    expect((await uow().run((r) => r.c2bRegistrations.findByTokenHash(second.tokenHash)))?.businessId).toBe(
      business.id,
    );
    expect((await uow().run((r) => r.c2bRegistrations.findByShortcode(shortcode)))?.id).toBe(second.id);
    const taken = uow().run((r) => r.c2bRegistrations.save(aRegistration(rival.id, shortcode)));
    await expect(taken).rejects.toBeInstanceOf(UniqueViolation);
    await expect(taken).rejects.toMatchObject({ constraint: C2B_SHORTCODE_UNIQUE });
  });

  it("finds a sale by its reference within its business, and refuses a second sale with the same reference there", async () => {
    const { business } = await seedOwner(uow());
    const { business: other } = await seedOwner(uow());
    const config = await seedConfig(uow(), business.id);
    const otherConfig = await seedConfig(uow(), other.id);
    const reference = aReference();
    const sale = aSale(business.id, { paymentConfigId: config.id, reference });
    await uow().run((r) => r.sales.add(sale));
    // Another business may use the same reference.
    await uow().run((r) => r.sales.add(aSale(other.id, { paymentConfigId: otherConfig.id, reference })));
    const found = await uow().run((r) =>
      r.sales.findByReference(business.id, SaleReference.restore(reference.value), { lock: true }),
    );
    expect(found?.id).toBe(sale.id);
    expect(found?.reference.value).toBe(reference.value);
    const clash = uow().run((r) =>
      r.sales.add(aSale(business.id, { paymentConfigId: config.id, reference })),
    );
    await expect(clash).rejects.toMatchObject({ constraint: SALE_REFERENCE_UNIQUE });
    expect(await uow().run((r) => r.products.hasSku(business.id, "NOPE-1"))).toBe(false);
  });
});

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { InMemoryUnitOfWork } from "../../../src/adapters/in-memory/in-memory-unit-of-work.ts";
import type { SaleFilter } from "../../../src/application/ports/sale-repository.ts";
import { ExportMoneyIn } from "../../../src/application/sales/export-money-in.ts";
import { ListMoneyIn, type ListPosition } from "../../../src/application/sales/list-money-in.ts";
import type { MoneyInEntry } from "../../../src/application/sales/money-in.ts";
import { C2bPayment } from "../../../src/domain/c2b-payment.ts";
import { Kes } from "../../../src/domain/kes.ts";
import { aBusiness, anId, aPhone, aSale, asOwner, T0 } from "../../support/builders.ts";

/** A business with sales and C2B payments interleaved in time; one C2B payment settled a sale. */
async function aShop() {
  const uow = new InMemoryUnitOfWork();
  const ownerId = anId();
  const business = aBusiness(ownerId);
  const expected: string[] = [];
  await uow.run(async (r) => {
    await r.businesses.add(business);
    for (let i = 0; i < 23; i += 1) {
      // Ids are UUIDv7: created in this order, listed newest first.
      if (i % 3 === 2) {
        const payment = C2bPayment.record({
          id: anId(),
          businessId: business.id,
          receipt: `RCPT${String(i).padStart(6, "0")}`,
          amount: Kes.restore(10 + i),
          phone: "2547 ***** 126",
          payerName: "JANE",
          accountNumber: "walk-in",
          transactionType: "Pay Bill",
          shortcode: "600123",
          paidAt: T0,
          source: "confirmation",
          createdAt: T0,
        });
        if (i === 20) {
          payment.settles(anId());
        } else {
          expected.push(payment.id);
        }
        await r.c2bPayments.addIfNew(payment);
      } else {
        const sale = aSale(business.id, { amount: 10 + i });
        expected.push(sale.id);
        await r.sales.add(sale);
      }
    }
  });
  return {
    uow,
    business,
    access: asOwner(ownerId, business.id, "sales:read"),
    newestFirst: expected.reverse(),
  };
}

describe("money in: sales and the C2B payments that settled no sale, as one newest-first history", () => {
  it("pages through both lists with one cursor each, never skipping or repeating an entry", async () => {
    const { uow, business, access, newestFirst } = await aShop();
    const list = new ListMoneyIn({ uow });
    const seen: string[] = [];
    let cursor: { sale: ListPosition; c2b: ListPosition } | null = { sale: null, c2b: null };
    let pages = 0;
    while (cursor !== null) {
      const page = await list.execute({ access, businessId: business.id, filter: {}, limit: 4, cursor });
      if (!page.ok) {
        throw new Error(JSON.stringify(page.error));
      }
      expect(page.value.totals.count).toBe(newestFirst.length);
      seen.push(...page.value.entries.map((entry) => entry.id));
      cursor = page.value.next;
      pages += 1;
    }
    expect(seen).toEqual(newestFirst);
    expect(pages).toBe(Math.ceil(newestFirst.length / 4));
  });

  it("leaves C2B payments out of a status other than paid (they are always paid), and keeps them in paid", async () => {
    const { uow, business, access } = await aShop();
    const list = new ListMoneyIn({ uow });
    const kinds = async (status: SaleFilter["status"]) => {
      const page = await list.execute({
        access,
        businessId: business.id,
        filter: { status },
        limit: 50,
        cursor: { sale: null, c2b: null },
      });
      if (!page.ok) {
        throw new Error(JSON.stringify(page.error));
      }
      return new Set(page.value.entries.map((entry) => entry.kind));
    };
    for (const status of ["pending", "failed", "cancelled", "expired"] as const) {
      expect(await kinds(status), status).not.toContain("c2b");
    }
    expect(await kinds("paid")).toContain("c2b");
  });

  it("keeps, under a phone filter, the C2B payments whose phone is known (clear or SHA-256 hex), not masked ones", async () => {
    const uow = new InMemoryUnitOfWork();
    const ownerId = anId();
    const business = aBusiness(ownerId);
    const phone = "254712345678";
    const hashed = createHash("sha256").update(phone).digest("hex");
    const payment = (amount: number, sentAs: string) =>
      C2bPayment.record({
        id: anId(),
        businessId: business.id,
        receipt: `RCPT${amount}X`,
        amount: Kes.restore(amount),
        phone: sentAs,
        payerName: "JANE",
        accountNumber: null,
        transactionType: "Buy Goods",
        shortcode: "600123",
        paidAt: T0,
        source: "confirmation",
        createdAt: T0,
      });
    const known = [payment(11, phone), payment(12, hashed)];
    const sale = aSale(business.id, { amount: 13, phone: aPhone(phone) });
    await uow.run(async (r) => {
      await r.businesses.add(business);
      await r.sales.add(sale);
      for (const p of [...known, payment(14, "2547 ***** 678"), payment(15, "254700000009")]) {
        await r.c2bPayments.addIfNew(p);
      }
    });
    const access = asOwner(ownerId, business.id, "sales:read");
    const filter = { phone };
    const page = await new ListMoneyIn({ uow }).execute({
      access,
      businessId: business.id,
      filter,
      limit: 50,
      cursor: { sale: null, c2b: null },
    });
    if (!page.ok) {
      throw new Error(JSON.stringify(page.error));
    }
    const expected = [sale.id, ...known.map((p) => p.id)].sort();
    expect(page.value.entries.map((entry) => entry.id).sort()).toEqual(expected);
    // The sale is still pending: the two C2B payments are what was paid.
    expect(page.value.totals).toMatchObject({ count: 3, paidCount: 2, paidAmount: 23 });
    const exported = await new ExportMoneyIn({ uow }).execute({ access, businessId: business.id, filter });
    if (!exported.ok) {
      throw new Error(JSON.stringify(exported.error));
    }
    const ids: string[] = [];
    for await (const entry of exported.value as AsyncGenerator<MoneyInEntry>) {
      ids.push(entry.id);
    }
    expect(ids.sort()).toEqual(expected);
    // The page's search box: a phone typed as text finds the same entries.
    const searched = await new ListMoneyIn({ uow }).execute({
      access,
      businessId: business.id,
      filter: { q: "0712345678", qPhone: phone },
      limit: 50,
      cursor: { sale: null, c2b: null },
    });
    expect(searched.ok && searched.value.entries.map((entry) => entry.id).sort()).toEqual(expected);
  });

  it("exports every entry once, newest first, a page at a time", async () => {
    const { uow, business, access, newestFirst } = await aShop();
    const exported = await new ExportMoneyIn({ uow }).execute({
      access,
      businessId: business.id,
      filter: {},
    });
    if (!exported.ok) {
      throw new Error(JSON.stringify(exported.error));
    }
    const ids: string[] = [];
    for await (const entry of exported.value as AsyncGenerator<MoneyInEntry>) {
      ids.push(entry.id);
    }
    expect(ids).toEqual(newestFirst);
  });
});

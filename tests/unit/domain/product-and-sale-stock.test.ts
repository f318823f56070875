import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Kes } from "../../../src/domain/kes.ts";
import { Product } from "../../../src/domain/product.ts";
import { ProductName } from "../../../src/domain/product-name.ts";
import { Quantity } from "../../../src/domain/quantity.ts";
import { Sale } from "../../../src/domain/sale.ts";
import { reserveStock, settleSaleStock } from "../../../src/domain/sale-stock.ts";
import { Sku } from "../../../src/domain/sku.ts";
import { StockLevel } from "../../../src/domain/stock-level.ts";
import {
  aDescription,
  aPhone,
  aProduct,
  aReference,
  aSale,
  linesOf,
  shillings,
  T0,
  unwrap,
} from "../../support/builders.ts";

const BUSINESS = "00000000-0000-7000-8000-00000000b001";
const afterHold = new Date(T0.getTime() + 301_000);
const beforeHold = new Date(T0.getTime() + 10_000);

const level = (stock: number) => unwrap(StockLevel.parse(stock));
const mapOf = (...products: Product[]) => new Map(products.map((p) => [p.id, p]));

describe("Product", () => {
  it("is built from values that each refuse what breaks their rule", () => {
    const refused = [ProductName.parse(""), Kes.forPrice(0.5), StockLevel.parse(-1), Sku.parse("a b")];
    expect(refused.map((r) => !r.ok && r.error.errors.map((e) => e.path))).toEqual([
      ["name"],
      ["price"],
      ["stock"],
      ["sku"],
    ]);
    const product = Product.create({
      id: "p",
      businessId: BUSINESS,
      name: unwrap(ProductName.parse("  Sukari  ")),
      price: unwrap(Kes.forPrice(120)),
      stock: unwrap(StockLevel.parse(0)),
      sku: unwrap(Sku.parse("SUK-1")),
      createdAt: T0,
    });
    expect([product.name, product.price.value, product.stock, product.sku]).toEqual([
      "Sukari",
      120,
      0,
      "SUK-1",
    ]);
  });

  it("moves quantities between stock and reserved, and never below zero", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.array(
          fc.tuple(fc.constantFrom("reserve", "commit", "release", "take"), fc.integer({ min: 1, max: 20 })),
        ),
        (initial, moves) => {
          const product = aProduct(BUSINESS, { stock: initial });
          let sold = 0;
          for (const [move, quantity] of moves) {
            const before = { stock: product.stock, reserved: product.reserved };
            const result =
              move === "reserve"
                ? product.reserve(quantity)
                : move === "commit"
                  ? product.commitReserved(quantity)
                  : move === "release"
                    ? product.releaseReserved(quantity)
                    : product.takeSold(quantity);
            if (result.ok && (move === "commit" || move === "take")) {
              sold += quantity;
            }
            if (!result.ok) {
              expect({ stock: product.stock, reserved: product.reserved }).toEqual(before);
            }
            expect(product.stock).toBeGreaterThanOrEqual(0);
            expect(product.reserved).toBeGreaterThanOrEqual(0);
            // Nothing appears or vanishes: what is sellable, held and sold adds up to what there was.
            expect(product.stock + product.reserved + sold).toBe(initial);
          }
        },
      ),
    );
  });

  it("refuses a reservation it cannot cover, naming the product", () => {
    const product = aProduct(BUSINESS, { name: "Unga 2kg", stock: 2 });
    const result = product.reserve(3);
    expect(!result.ok && result.error).toEqual({
      type: "insufficient_stock",
      productId: product.id,
      productName: "Unga 2kg",
      requested: 3,
      available: 2,
    });
  });

  it("updates name, price and sellable stock without touching reservations", () => {
    const product = aProduct(BUSINESS, { stock: 5 });
    unwrap(product.reserve(2));
    expect(product.update({ stock: level(10), price: shillings(200) }).ok).toBe(true);
    expect([product.stock, product.reserved, product.price.value]).toEqual([10, 2, 200]);
    expect(product.update({ name: unwrap(ProductName.parse("Sugar 2kg")) }).ok).toBe(true);
    expect([product.name, product.stock, product.price.value]).toEqual(["Sugar 2kg", 10, 200]);
  });

  it("takes a price of 1 to 250,000 and a stock of 0 to 1,000,000, and nothing beyond", () => {
    expect([Kes.forPrice(250_000).ok, Kes.forPrice(1).ok]).toEqual([true, true]);
    expect([StockLevel.parse(1_000_000).ok, StockLevel.parse(0).ok]).toEqual([true, true]);
    for (const price of [250_001, 2 ** 31, 0]) {
      const refused = Kes.forPrice(price);
      expect(!refused.ok && refused.error.errors.map((e) => e.path)).toEqual(["price"]);
    }
    for (const stock of [1_000_001, 2 ** 31, 2 ** 53, 1.5]) {
      const refused = StockLevel.parse(stock);
      expect(!refused.ok && refused.error.errors).toEqual([
        { path: "stock", message: "must be a whole number from 0 to 1,000,000" },
      ]);
    }
  });

  it("never lets stock and reserved together outgrow their 32-bit columns", () => {
    // Setting the stock while sales hold units is the one way the two can grow together.
    const product = Product.restore({
      ...aProduct(BUSINESS).snapshot(),
      stock: 0,
      reserved: 2_147_000_000,
    });
    const refused = product.update({ stock: level(1_000_000) });
    expect(!refused.ok && refused.error.errors[0]?.path).toBe("stock");
    expect(product.stock).toBe(0);
    expect(product.update({ stock: level(483_647) }).ok).toBe(true);
    expect(product.stock + product.reserved).toBe(2 ** 31 - 1);
  });
});

describe("Sale", () => {
  it("adds up its lines, and refuses a given amount that differs", () => {
    const sugar = aProduct(BUSINESS, { price: 150 });
    const rice = aProduct(BUSINESS, { price: 220 });
    const sale = aSale(BUSINESS, {
      lines: [
        { product: sugar, quantity: 2 },
        { product: rice, quantity: 1 },
      ],
    });
    expect(sale.amount.value).toBe(520);
    expect(sale.items.map((i) => [i.name, i.quantity, i.unitPrice.value])).toEqual([
      ["Sugar 1kg", 2, 150],
      ["Sugar 1kg", 1, 220],
    ]);
    const mismatch = Sale.create({
      id: "s",
      businessId: BUSINESS,
      reference: aReference(),
      paymentConfigId: "c",
      phone: aPhone(),
      amount: shillings(500),
      lines: linesOf([
        { product: sugar, quantity: 2 },
        { product: rice, quantity: 1 },
      ]),
      callbackTokenHash: "h",
      createdAt: T0,
      holdExpiresAt: afterHold,
    });
    expect(!mismatch.ok && mismatch.error).toEqual({ type: "amount_mismatch", expected: 520, given: 500 });
  });

  it("needs an amount when it has no lines, and then moves no stock", () => {
    const base = {
      id: "s",
      businessId: BUSINESS,
      reference: aReference(),
      paymentConfigId: "c",
      phone: aPhone(),
      callbackTokenHash: "h",
      createdAt: T0,
      holdExpiresAt: afterHold,
    };
    expect(Sale.create(base).ok).toBe(false);
    const plain = unwrap(Sale.create({ ...base, amount: shillings(250) }));
    expect(plain.stockState).toBe("none");
    expect(plain.holdExpiresAt).toBeNull();
    expect([Kes.forPush(250.5).ok, Kes.forPush(250_001).ok, Kes.forPush(0).ok]).toEqual([
      false,
      false,
      false,
    ]);
  });

  it("refuses an empty item list, a repeated product and a bad quantity", () => {
    const sugar = aProduct(BUSINESS);
    const base = {
      id: "s",
      businessId: BUSINESS,
      reference: aReference(),
      paymentConfigId: "c",
      phone: aPhone(),
      callbackTokenHash: "h",
      createdAt: T0,
      holdExpiresAt: afterHold,
    };
    expect(Sale.create({ ...base, lines: [] }).ok).toBe(false);
    const repeated = Sale.create({
      ...base,
      lines: linesOf([
        { product: sugar, quantity: 1 },
        { product: sugar, quantity: 1 },
      ]),
    });
    expect(!repeated.ok && repeated.error.type === "invalid_input" && repeated.error.errors[0]?.path).toBe(
      "items.1.productId",
    );
    for (const quantity of [1.5, 0, 10_001, "2"]) {
      const refused = Quantity.parse(quantity, "items.0.quantity");
      expect(!refused.ok && refused.error.errors).toEqual([
        { path: "items.0.quantity", message: "must be a whole number from 1 to 10,000" },
      ]);
    }
  });

  it("keeps the whole description", () => {
    const long = "Two bags of sugar and one of rice, delivered";
    const base = {
      id: "s",
      businessId: BUSINESS,
      reference: aReference(),
      paymentConfigId: "c",
      phone: aPhone(),
      callbackTokenHash: "h",
      createdAt: T0,
      holdExpiresAt: afterHold,
      amount: shillings(10),
    };
    expect(unwrap(Sale.create({ ...base, description: aDescription(long) })).description).toBe(long);
    expect(unwrap(Sale.create({ ...base, description: aDescription("") })).description).toBeNull();
  });
});

describe("stock between a sale and its products", () => {
  it("reserves every line or nothing", () => {
    const plenty = aProduct(BUSINESS, { stock: 10 });
    const scarce = aProduct(BUSINESS, { name: "Last loaf", stock: 1 });
    const sale = aSale(BUSINESS, {
      lines: [
        { product: plenty, quantity: 3 },
        { product: scarce, quantity: 2 },
      ],
    });
    const result = reserveStock(sale, mapOf(plenty, scarce));
    expect(!result.ok && result.error.productName).toBe("Last loaf");
    expect([plenty.stock, plenty.reserved, scarce.stock, scarce.reserved]).toEqual([10, 0, 1, 0]);
  });

  it("sells the reservation when paid", () => {
    const product = aProduct(BUSINESS, { stock: 5 });
    const sale = aSale(BUSINESS, { lines: [{ product, quantity: 2 }] });
    unwrap(reserveStock(sale, mapOf(product)));
    unwrap(sale.markPaid({ receipt: "R1", amount: null, phone: null, at: beforeHold }));
    expect(settleSaleStock(sale, mapOf(product), beforeHold)).toBe("committed");
    expect([product.stock, product.reserved, sale.stockState]).toEqual([3, 0, "committed"]);
    expect(settleSaleStock(sale, mapOf(product), beforeHold)).toBe("unchanged");
  });

  it("gives the reservation back when cancelled or failed", () => {
    const product = aProduct(BUSINESS, { stock: 5 });
    const sale = aSale(BUSINESS, { lines: [{ product, quantity: 2 }] });
    unwrap(reserveStock(sale, mapOf(product)));
    unwrap(sale.markUnsuccessful("1032", undefined, beforeHold));
    expect(settleSaleStock(sale, mapOf(product), beforeHold)).toBe("released");
    expect([product.stock, product.reserved, sale.stockState]).toEqual([5, 0, "released"]);
  });

  it("gives the reservation back when the hold lapses while the payment is unknown", () => {
    const product = aProduct(BUSINESS, { stock: 5 });
    const sale = aSale(BUSINESS, { lines: [{ product, quantity: 2 }] });
    unwrap(reserveStock(sale, mapOf(product)));
    expect(settleSaleStock(sale, mapOf(product), beforeHold)).toBe("unchanged");
    expect(settleSaleStock(sale, mapOf(product), afterHold)).toBe("released");
    expect(sale.status).toBe("pending");
    expect([product.stock, product.reserved]).toEqual([5, 0]);
  });

  it("takes the stock again when paid after the hold lapsed, if it is still there", () => {
    const product = aProduct(BUSINESS, { stock: 5 });
    const sale = aSale(BUSINESS, { lines: [{ product, quantity: 2 }] });
    unwrap(reserveStock(sale, mapOf(product)));
    settleSaleStock(sale, mapOf(product), afterHold);
    unwrap(sale.markPaid({ receipt: "R1", amount: 300, phone: null, at: afterHold }));
    expect(settleSaleStock(sale, mapOf(product), afterHold)).toBe("retaken");
    expect([product.stock, product.reserved, sale.stockState, sale.needsAttention]).toEqual([
      3,
      0,
      "committed",
      false,
    ]);
  });

  it("flags a sale paid after its hold lapsed when the stock was sold meanwhile", () => {
    const product = aProduct(BUSINESS, { name: "Last loaf", stock: 1 });
    const sale = aSale(BUSINESS, { lines: [{ product, quantity: 1 }] });
    unwrap(reserveStock(sale, mapOf(product)));
    settleSaleStock(sale, mapOf(product), afterHold);
    unwrap(product.reserve(1));
    unwrap(sale.markPaid({ receipt: "R1", amount: 150, phone: null, at: afterHold }));
    expect(settleSaleStock(sale, mapOf(product), afterHold)).toBe("shortfall");
    expect(sale.status).toBe("paid");
    expect(sale.needsAttention).toBe(true);
    expect(sale.attentionReason).toMatch(/Last loaf/);
    expect([product.stock, product.reserved]).toEqual([0, 1]);
  });

  it("takes the stock again when a sale PayMe recorded failed (refused push) is paid after all", () => {
    const product = aProduct(BUSINESS, { stock: 5 });
    const sale = aSale(BUSINESS, { lines: [{ product, quantity: 2 }] });
    unwrap(reserveStock(sale, mapOf(product)));
    unwrap(sale.markPushRefused("M-Pesa refused the phone number.", beforeHold));
    expect(settleSaleStock(sale, mapOf(product), beforeHold)).toBe("released");
    expect([product.stock, product.reserved]).toEqual([5, 0]);

    unwrap(sale.markPaid({ receipt: "R1", amount: 300, phone: null, at: beforeHold }));
    expect(settleSaleStock(sale, mapOf(product), beforeHold)).toBe("retaken");
    expect([product.stock, product.reserved, sale.stockState, sale.status]).toEqual([
      3,
      0,
      "committed",
      "paid",
    ]);
    expect(sale.attentionKind).toBe("informational");
  });

  it("flags a shortfall once, beside the earlier reason, when the stock of a refused-then-paid sale is gone", () => {
    const product = aProduct(BUSINESS, { name: "Last loaf", stock: 1 });
    const sale = aSale(BUSINESS, { lines: [{ product, quantity: 1 }] });
    unwrap(reserveStock(sale, mapOf(product)));
    unwrap(sale.markPushRefused("refused", beforeHold));
    settleSaleStock(sale, mapOf(product), beforeHold);
    unwrap(product.reserve(1));
    unwrap(sale.markPaid({ receipt: "R1", amount: 150, phone: null, at: beforeHold }));
    expect(settleSaleStock(sale, mapOf(product), beforeHold)).toBe("shortfall");
    expect(settleSaleStock(sale, mapOf(product), beforeHold)).toBe("shortfall");
    expect(sale.attentionKind).toBe("informational");
    expect(sale.attentionReason?.match(/Last loaf/g)).toHaveLength(1);
    expect(sale.attentionReason).toMatch(/^paid after it was recorded as failed/);
  });

  it("never lets a paid sale give its stock back", () => {
    const product = aProduct(BUSINESS, { stock: 5 });
    const sale = aSale(BUSINESS, { lines: [{ product, quantity: 2 }] });
    unwrap(reserveStock(sale, mapOf(product)));
    unwrap(sale.markPaid({ receipt: "R1", amount: null, phone: null, at: beforeHold }));
    expect(sale.releaseStock().ok).toBe(false);
  });
});

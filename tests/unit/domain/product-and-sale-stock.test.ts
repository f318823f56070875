import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Product } from "../../../src/domain/product.ts";
import { Sale } from "../../../src/domain/sale.ts";
import { reserveStock, settleSaleStock } from "../../../src/domain/sale-stock.ts";
import { aPhone, aProduct, aSale, T0, unwrap } from "../../support/builders.ts";

const BUSINESS = "00000000-0000-7000-8000-00000000b001";
const afterHold = new Date(T0.getTime() + 301_000);
const beforeHold = new Date(T0.getTime() + 10_000);

const mapOf = (...products: Product[]) => new Map(products.map((p) => [p.id, p]));

describe("Product", () => {
  it("checks its fields and reports each broken one", () => {
    const result = Product.create({
      id: "p",
      businessId: BUSINESS,
      name: "",
      price: 0.5,
      stock: -1,
      sku: "a b",
      createdAt: T0,
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.errors.map((e) => e.path).sort()).toEqual([
      "name",
      "price",
      "sku",
      "stock",
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
    expect(product.update({ stock: 10, price: 200 }).ok).toBe(true);
    expect([product.stock, product.reserved, product.price.value]).toEqual([10, 2, 200]);
    expect(product.update({ stock: -1 }).ok).toBe(false);
    expect(product.stock).toBe(10);
  });

  it("takes a price of 1 to 250,000 and a stock of 0 to 1,000,000, and nothing beyond", () => {
    const create = (price: number, stock: number) =>
      Product.create({ id: "p", businessId: BUSINESS, name: "Sukari", price, stock, createdAt: T0 });
    expect(create(250_000, 1_000_000).ok).toBe(true);
    expect(create(1, 0).ok).toBe(true);
    for (const [price, stock, path] of [
      [250_001, 1, "price"],
      [2 ** 31, 1, "price"],
      [0, 1, "price"],
      [100, 1_000_001, "stock"],
      [100, 2 ** 31, "stock"],
      [100, 2 ** 53, "stock"],
    ] as const) {
      const refused = create(price, stock);
      expect(!refused.ok && refused.error.errors.map((e) => e.path)).toEqual([path]);
    }
    const product = aProduct(BUSINESS, { stock: 5 });
    expect(product.update({ price: 250_001 }).ok).toBe(false);
    expect(product.update({ stock: 1_000_001 }).ok).toBe(false);
    expect([product.price.value, product.stock]).toEqual([aProduct(BUSINESS).price.value, 5]);
  });

  it("never lets stock and reserved together outgrow their 32-bit columns", () => {
    // Setting the stock while sales hold units is the one way the two can grow together.
    const product = Product.restore({
      ...aProduct(BUSINESS).snapshot(),
      stock: 0,
      reserved: 2_147_000_000,
    });
    const refused = product.update({ stock: 1_000_000 });
    expect(!refused.ok && refused.error.errors[0]?.path).toBe("stock");
    expect(product.stock).toBe(0);
    expect(product.update({ stock: 483_647 }).ok).toBe(true);
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
      paymentConfigId: "c",
      phone: aPhone(),
      amount: 500,
      lines: [
        { product: sugar, quantity: 2 },
        { product: rice, quantity: 1 },
      ],
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
      paymentConfigId: "c",
      phone: aPhone(),
      callbackTokenHash: "h",
      createdAt: T0,
      holdExpiresAt: afterHold,
    };
    expect(Sale.create(base).ok).toBe(false);
    const plain = unwrap(Sale.create({ ...base, amount: 250 }));
    expect(plain.stockState).toBe("none");
    expect(plain.holdExpiresAt).toBeNull();
    expect(Sale.create({ ...base, amount: 250.5 }).ok).toBe(false);
    expect(Sale.create({ ...base, amount: 250_001 }).ok).toBe(false);
  });

  it("refuses an empty item list, a repeated product and a bad quantity", () => {
    const sugar = aProduct(BUSINESS);
    const base = {
      id: "s",
      businessId: BUSINESS,
      paymentConfigId: "c",
      phone: aPhone(),
      callbackTokenHash: "h",
      createdAt: T0,
      holdExpiresAt: afterHold,
    };
    expect(Sale.create({ ...base, lines: [] }).ok).toBe(false);
    const repeated = Sale.create({
      ...base,
      lines: [
        { product: sugar, quantity: 1 },
        { product: sugar, quantity: 1 },
      ],
    });
    expect(!repeated.ok && repeated.error.type === "invalid_input" && repeated.error.errors[0]?.path).toBe(
      "items.1.productId",
    );
    const fractional = Sale.create({ ...base, lines: [{ product: sugar, quantity: 1.5 }] });
    expect(
      !fractional.ok && fractional.error.type === "invalid_input" && fractional.error.errors[0]?.path,
    ).toBe("items.0.quantity");
  });

  it("keeps the whole description", () => {
    const long = "Two bags of sugar and one of rice, delivered";
    const base = {
      id: "s",
      businessId: BUSINESS,
      paymentConfigId: "c",
      phone: aPhone(),
      callbackTokenHash: "h",
      createdAt: T0,
      holdExpiresAt: afterHold,
      amount: 10,
    };
    expect(unwrap(Sale.create({ ...base, description: long })).description).toBe(long);
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

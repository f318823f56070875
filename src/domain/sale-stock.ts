import type { InsufficientStock, Product } from "./product.ts";
import { err, ok, type Result } from "./result.ts";
import type { Sale, SaleItem } from "./sale.ts";

/**
 * Stock moves between a sale and its products. Both sides change together, in one transaction,
 * with the product rows locked by the caller.
 */

function productFor(products: ReadonlyMap<string, Product>, item: SaleItem): Product {
  const product = products.get(item.productId);
  if (product === undefined) {
    throw new Error(`product ${item.productId} of the sale was not loaded`);
  }
  return product;
}

function firstShortfall(
  items: readonly SaleItem[],
  products: ReadonlyMap<string, Product>,
): InsufficientStock | null {
  for (const item of items) {
    const shortfall = productFor(products, item).shortfallFor(item.quantity);
    if (shortfall !== null) {
      return shortfall;
    }
  }
  return null;
}

/** Reserves every line of a new sale, or nothing at all when any line cannot be covered. */
export function reserveStock(
  sale: Sale,
  products: ReadonlyMap<string, Product>,
): Result<void, InsufficientStock> {
  const shortfall = firstShortfall(sale.items, products);
  if (shortfall !== null) {
    return err(shortfall);
  }
  for (const item of sale.items) {
    productFor(products, item).reserve(item.quantity);
  }
  return ok();
}

/**
 * What happened to a sale's stock after its payment moved (or its hold was checked):
 * - `committed`: paid, the reservation is sold;
 * - `retaken`: paid after the hold lapsed, or after PayMe recorded it failed, and the stock was still there;
 * - `shortfall`: paid after the hold lapsed (or after a refused push gave it back), but the stock was sold
 *   meanwhile: the sale is flagged;
 * - `released`: failed, cancelled, or the hold lapsed: the stock is sellable again;
 * - `unchanged`: nothing to do.
 */
const SHORTFALL = "paid after its stock was given back";

export type StockSettlement = "committed" | "retaken" | "shortfall" | "released" | "unchanged";

/** Brings a sale's stock in line with its payment status and its hold. Safe to call any number of times. */
export function settleSaleStock(
  sale: Sale,
  products: ReadonlyMap<string, Product>,
  now: Date,
): StockSettlement {
  if (sale.status === "paid" && sale.stockState === "reserved") {
    for (const item of sale.items) {
      mustSucceed(productFor(products, item).commitReserved(item.quantity));
    }
    mustSucceed(sale.commitStock());
    return "committed";
  }
  if (sale.status === "paid" && sale.stockState === "released") {
    const shortfall = firstShortfall(sale.items, products);
    if (shortfall !== null) {
      // Informational: the money is in; a person decides how to make up the goods. Flagged once.
      if (!(sale.attentionReason ?? "").includes(SHORTFALL)) {
        sale.flag(
          `${SHORTFALL}, but only ${shortfall.available} of ${shortfall.productName} ` +
            `is left for the ${shortfall.requested} sold`,
          "informational",
        );
      }
      return "shortfall";
    }
    for (const item of sale.items) {
      mustSucceed(productFor(products, item).takeSold(item.quantity));
    }
    mustSucceed(sale.retakeStock());
    return "retaken";
  }
  const finalWithoutPayment =
    sale.status === "cancelled" || sale.status === "failed" || sale.status === "expired";
  if (sale.stockState === "reserved" && (finalWithoutPayment || sale.holdLapsedAt(now))) {
    for (const item of sale.items) {
      mustSucceed(productFor(products, item).releaseReserved(item.quantity));
    }
    mustSucceed(sale.releaseStock());
    return "released";
  }
  return "unchanged";
}

function mustSucceed<E>(result: Result<unknown, E>): void {
  if (!result.ok) {
    throw new Error(`stock invariant broken: ${JSON.stringify(result.error)}`);
  }
}

/**
 * A full refund of a paid sale completed: the items it sold go back into stock, once (the sale's stock becomes
 * `returned`). False when there was nothing to put back (a plain-amount sale, or stock already returned).
 */
export function returnSaleStock(sale: Sale, products: ReadonlyMap<string, Product>): boolean {
  if (sale.stockState !== "committed") {
    return false;
  }
  const returned = sale.returnStock();
  if (!returned.ok) {
    return false;
  }
  for (const item of returned.value) {
    // An archived or deleted product is left out: nothing to put back into.
    products.get(item.productId)?.putBack(item.quantity);
  }
  return true;
}

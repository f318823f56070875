import type { Product } from "../../domain/product.ts";
import type { Sale } from "../../domain/sale.ts";
import { settleSaleStock } from "../../domain/sale-stock.ts";
import type { OutboxEventType } from "../ports/outbox-repository.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import { type EventContext, recordEvent } from "../shared/record-event.ts";
import { saleView } from "./sale-view.ts";

const STATUS_EVENTS: Partial<Record<Sale["status"], OutboxEventType>> = {
  paid: "sale.paid",
  failed: "sale.failed",
  cancelled: "sale.cancelled",
  expired: "sale.expired",
};

/**
 * Brings a sale's stock in line with its status and hold, then saves the sale and its products, and records what
 * changed in the outbox, in the caller's transaction: a new status is its `sale.<status>` event, a new flag its
 * `sale.needs_attention` (both, when a sale paid after PayMe recorded it failed is flagged). No change, no event.
 * `locked`: the products already locked by `lockSaleProducts` (a transaction saving several sales), else the
 * sale's own are locked here.
 */
export async function saveSale(
  r: Pick<Repositories, "outbox" | "products" | "sales">,
  sale: Sale,
  context: EventContext,
  locked?: ReadonlyMap<string, Product>,
): Promise<void> {
  const products = locked === undefined ? await lockedProducts(r, sale) : productsOf(sale, locked);
  const stock = settleSaleStock(sale, products, context.now);
  await r.sales.update(sale);
  if (stock !== "unchanged" && stock !== "shortfall") {
    for (const product of products.values()) {
      await r.products.update(product);
    }
  }
  const changes = sale.takeChanges();
  const statusEvent = changes.status === null ? undefined : STATUS_EVENTS[changes.status];
  if (statusEvent === undefined && !changes.flagged) {
    return;
  }
  const object = saleView(sale);
  if (statusEvent !== undefined) {
    await recordEvent(r, context, statusEvent, sale.businessId, object);
  }
  if (changes.flagged) {
    await recordEvent(r, context, "sale.needs_attention", sale.businessId, object);
  }
}

/**
 * Locks the products of every item of `sales`, in one statement in product id order, before any of them is saved:
 * a transaction that saves several sales (each locking its own products in turn) could otherwise hold one
 * product while waiting for another that a transaction doing the same in another order holds. Hand the answer
 * to each `saveSale`: the sales share the product objects, so each sees the stock the ones before it left.
 */
export async function lockSaleProducts(
  r: Pick<Repositories, "products">,
  sales: readonly Sale[],
): Promise<Map<string, Product>> {
  const wanted = sales.flatMap((sale) =>
    sale.items.map((item) => ({ id: item.productId, businessId: sale.businessId })),
  );
  if (wanted.length === 0) {
    return new Map();
  }
  const products = await r.products.lockAll(wanted);
  return new Map(products.map((product) => [product.id, product]));
}

/** The products of a sale's items, among those locked for it and others (a product of another business is not). */
function productsOf(sale: Sale, locked: ReadonlyMap<string, Product>): Map<string, Product> {
  const products = new Map<string, Product>();
  for (const item of sale.items) {
    const product = locked.get(item.productId);
    if (product !== undefined && product.businessId === sale.businessId) {
      products.set(product.id, product);
    }
  }
  return products;
}

async function lockedProducts(r: Pick<Repositories, "products">, sale: Sale): Promise<Map<string, Product>> {
  if (sale.items.length === 0) {
    return new Map();
  }
  const products = await r.products.lockInBusiness(
    sale.items.map((item) => item.productId),
    sale.businessId,
  );
  return new Map(products.map((product) => [product.id, product]));
}

import type { Product } from "../../domain/product.ts";
import type { Sale } from "../../domain/sale.ts";
import { settleSaleStock } from "../../domain/sale-stock.ts";
import type { Repositories } from "../ports/unit-of-work.ts";

/** Brings a sale's stock in line with its status and hold, then saves the sale and its products. */
export async function saveSale(r: Repositories, sale: Sale, now: Date): Promise<void> {
  const products = await lockedProducts(r, sale);
  const stock = settleSaleStock(sale, products, now);
  await r.sales.update(sale);
  if (stock !== "unchanged" && stock !== "shortfall") {
    for (const product of products.values()) {
      await r.products.update(product);
    }
  }
}

async function lockedProducts(r: Repositories, sale: Sale): Promise<Map<string, Product>> {
  if (sale.items.length === 0) {
    return new Map();
  }
  const products = await r.products.lockInBusiness(
    sale.items.map((item) => item.productId),
    sale.businessId,
  );
  return new Map(products.map((product) => [product.id, product]));
}

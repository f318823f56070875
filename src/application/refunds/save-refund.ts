import type { Product } from "../../domain/product.ts";
import type { Refund } from "../../domain/refund.ts";
import { returnSaleStock } from "../../domain/sale-stock.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import { type EventContext, recordEvent } from "../shared/record-event.ts";
import { saleView } from "../shared/sale-view.ts";
import { refundView } from "./refund-view.ts";

export type RefundRepositories = Pick<
  Repositories,
  "c2bPayments" | "outbox" | "products" | "refunds" | "sales"
>;

/**
 * Saves a refund (locked by the caller) and what its new status means, in the caller's transaction:
 * - completed: its amount is added to the `refundedAmount` of the sale and of the C2B payment of its receipt
 *   (both, when a sale was paid by reference), a full refund of a sale with `restock` puts the items back in
 *   stock, and the outbox gets `refund.completed` and, for a sale, `sale.refunded`;
 * - failed: `refund.failed` (its amount is free to refund again).
 * A refund whose status did not change records nothing.
 */
export async function saveRefund(
  r: RefundRepositories,
  refund: Refund,
  context: EventContext,
): Promise<void> {
  await r.refunds.update(refund);
  const status = refund.takeStatusChange();
  if (status === "failed") {
    await recordEvent(r, context, "refund.failed", refund.businessId, refundView(refund));
    return;
  }
  if (status !== "completed") {
    return;
  }
  const amount = refund.amount.value;
  const c2b = await r.c2bPayments.findByReceipt(refund.originalReceipt, { lock: true });
  const saleId = refund.saleId ?? c2b?.matchedSaleId ?? null;
  const sale = saleId === null ? null : await r.sales.findById(saleId, { lock: true });
  if (c2b !== null && c2b.businessId === refund.businessId) {
    c2b.addRefunded(amount);
    await r.c2bPayments.update(c2b);
  }
  if (
    sale !== null &&
    sale.businessId === refund.businessId &&
    sale.mpesaReceipt === refund.originalReceipt
  ) {
    sale.addRefunded(amount);
    if (refund.restock && refund.method === "reversal" && sale.items.length > 0) {
      const products = await r.products.lockInBusiness(
        sale.items.map((item) => item.productId),
        sale.businessId,
      );
      const byId = new Map<string, Product>(products.map((product) => [product.id, product]));
      if (returnSaleStock(sale, byId)) {
        for (const product of products) {
          await r.products.update(product);
        }
      }
    }
    await r.sales.update(sale);
    await recordEvent(r, context, "refund.completed", refund.businessId, refundView(refund));
    await recordEvent(r, context, "sale.refunded", sale.businessId, saleView(sale));
    return;
  }
  await recordEvent(r, context, "refund.completed", refund.businessId, refundView(refund));
}

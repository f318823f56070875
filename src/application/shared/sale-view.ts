import type { Sale } from "../../domain/sale.ts";
import { stkPaymentView } from "./stk-payment-view.ts";

/** A sale as the API shows it (GET /api/sales/:id) and as its events carry it. */
export const saleView = (sale: Sale) => ({
  ...stkPaymentView(sale),
  businessId: sale.businessId,
  reference: sale.reference.value,
  items: sale.items.map((item) => ({
    productId: item.productId,
    name: item.name,
    quantity: item.quantity,
    unitPrice: item.unitPrice.value,
  })),
  description: sale.description,
  stockState: sale.stockState,
  refundedAmount: sale.refundedAmount,
});

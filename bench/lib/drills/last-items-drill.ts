import { call, createProduct, paidCallbackBody, payerPhone, setUpTill, signUp } from "../api.ts";
import { adminQuery } from "../postgres.ts";
import { until } from "../processes.ts";
import { deliverCallback, inPool } from "./load.ts";
import { check, type DrillReport, say } from "./report.ts";
import { onStage, type StageOptions } from "./stage.ts";

export type LastItemsOptions = StageOptions & {
  /** Sales started at once, one unit each. */
  readonly sales: number;
  /** Units in stock. */
  readonly units: number;
};

type SaleRow = { id: string; status: string; units: number };

/**
 * Last items: many customers try to buy the last units of one product at the same moment. Stock is reserved when
 * a sale starts, so exactly `units` sales may be accepted (the rest get 409 insufficient_stock); once their
 * payments come in (each callback twice), exactly `units` are paid, and the product has nothing left in stock or
 * reserved. Nothing is oversold.
 */
export async function runLastItemsDrill(options: LastItemsOptions): Promise<DrillReport> {
  const drill = "last-items";
  const what = `${options.sales} concurrent sales for ${options.units} units`;
  return onStage(options, async (stage) => {
    const { baseUrl } = stage.payme;
    const shop = await signUp(baseUrl, "drill-shop");
    await setUpTill(baseUrl, shop);
    const productId = await createProduct(baseUrl, shop, {
      name: "Last units",
      price: 250,
      stock: options.units,
    });
    const attempts = await inPool(Array.from({ length: options.sales }), options.sales, (_, i) =>
      call<{ sale?: { id: string; checkoutRequestId: string }; code?: string }>(
        baseUrl,
        "POST",
        "/api/sales/payment",
        {
          token: shop.token,
          body: { businessId: shop.businessId, phone: payerPhone(i), items: [{ productId, quantity: 1 }] },
        },
      ),
    );
    const accepted = attempts.flatMap((a) =>
      a.status === 202 && a.body.sale !== undefined ? [a.body.sale] : [],
    );
    const outOfStock = attempts.filter(
      (a) => a.status === 409 && a.body.code === "insufficient_stock",
    ).length;
    say(
      drill,
      `${accepted.length} sales accepted, ${outOfStock} refused insufficient_stock, of ${attempts.length}`,
    );

    const checkouts = await stage.simulator.checkouts(accepted.map((sale) => sale.checkoutRequestId));
    const answers = (
      await inPool(checkouts, 10, (checkout) => {
        const body = paidCallbackBody(checkout);
        return Promise.all([
          deliverCallback(checkout.callbackUrl, body),
          deliverCallback(checkout.callbackUrl, body),
        ]);
      })
    ).flat();
    const sales = await until(
      "the accepted sales to settle",
      async () => {
        const rows = await adminQuery<SaleRow>(
          stage.databaseUrl,
          `select id::text as id, status,
                  (select coalesce(sum((item->>'quantity')::int), 0) from jsonb_array_elements(items) item)::int as units
             from sales`,
        );
        return rows.some((row) => row.status === "pending") || stage.spooled() > 0 ? undefined : rows;
      },
      60_000,
    );
    const [product] = await adminQuery<{ stock: number; reserved: number }>(
      stage.databaseUrl,
      "select stock, reserved from products where id = $1",
      [productId],
    );
    const paid = sales.filter((sale) => sale.status === "paid");
    const paidUnits = paid.reduce((sum, sale) => sum + sale.units, 0);
    const acceptedIds = new Set(accepted.map((sale) => sale.id));
    const lost = accepted.filter((sale) => !paid.some((row) => row.id === sale.id)).length;
    say(
      drill,
      `${paid.length} sales paid for ${paidUnits} units; product stock ${product?.stock}, reserved ${product?.reserved}`,
    );
    return {
      drill,
      what,
      lost,
      doubled: Math.max(0, paidUnits - options.units),
      checks: [
        check(
          "every refusal is insufficient_stock",
          accepted.length + outOfStock === attempts.length,
          `${attempts.length - accepted.length - outOfStock} answers were neither 202 nor 409 insufficient_stock`,
        ),
        check(
          "exactly the units sold",
          paidUnits === options.units,
          `${paidUnits} units paid of ${options.units}`,
        ),
        check(
          "stock and reserved at 0",
          product?.stock === 0 && product.reserved === 0,
          `stock ${product?.stock}, reserved ${product?.reserved}`,
        ),
        check(
          "no sale without a 202",
          sales.every((sale) => acceptedIds.has(sale.id)),
          `${sales.length} sales stored for ${accepted.length} accepted`,
        ),
        check(
          "callbacks answered 200",
          answers.every((status) => status === 200),
          `${answers.filter((status) => status !== 200).length} not answered 200`,
        ),
      ],
    };
  });
}

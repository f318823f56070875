import { Hono, type MiddlewareHandler } from "hono";
import * as v from "valibot";
import type { GetSale } from "../../../application/sales/get-sale.ts";
import type { InitiateSale } from "../../../application/sales/initiate-sale.ts";
import type { ListSales } from "../../../application/sales/list-sales.ts";
import { Kes } from "../../../domain/kes.ts";
import { Msisdn } from "../../../domain/msisdn.ts";
import { Sale } from "../../../domain/sale.ts";
import { PAYMENT_STATUSES } from "../../../domain/stk-payment.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { readPage } from "../pagination.ts";
import { presentSale } from "../presenters.ts";
import { problemResponse } from "../problem.ts";
import { readBody, readParams } from "../request-body.ts";
import { idParam } from "../schemas.ts";

const PUSH_RANGE = `must be from ${Kes.PUSH_MIN} to ${Kes.PUSH_MAX.toLocaleString("en-US")} shillings`;
const QUANTITY_RANGE = `must be a whole number from 1 to ${Sale.QUANTITY_MAX.toLocaleString("en-US")}`;

export const SaleBody = v.object({
  businessId: idParam,
  phone: v.pipe(
    v.string("is required: the customer's phone, such as 0712345678"),
    v.check((phone) => Msisdn.parse(phone).ok, "must be a Kenyan mobile number such as 0712345678"),
  ),
  amount: v.optional(
    v.pipe(
      v.number("must be a whole number of shillings"),
      v.integer("must be whole shillings: M-Pesa has no cents"),
      v.minValue(Kes.PUSH_MIN, PUSH_RANGE),
      v.maxValue(Kes.PUSH_MAX, PUSH_RANGE),
    ),
  ),
  items: v.optional(
    v.pipe(
      v.array(
        v.object({
          productId: idParam,
          quantity: v.pipe(
            v.number("must be a whole number"),
            v.integer("must be a whole number"),
            v.minValue(1, QUANTITY_RANGE),
            v.maxValue(Sale.QUANTITY_MAX, QUANTITY_RANGE),
          ),
        }),
        "must be a list of { productId, quantity }",
      ),
      v.minLength(1, "must list at least one item, or be left out for a plain amount"),
      v.maxLength(100, "must list at most 100 items"),
    ),
  ),
  description: v.optional(
    v.nullable(v.pipe(v.string("must be text"), v.maxLength(500, "must be at most 500 characters"))),
  ),
});

/** Charging a customer (`POST /api/sales/payment`, the seed's route), and reading sales back. */
export function saleRoutes(deps: {
  readonly initiateSale: InitiateSale;
  readonly getSale: GetSale;
  readonly listSales: ListSales;
  readonly idempotent: (route: string) => MiddlewareHandler<HttpEnv>;
}): Hono<HttpEnv> {
  return new Hono<HttpEnv>()
    .post("/api/sales/payment", deps.idempotent("POST /api/sales/payment"), async (c) => {
      const body = await readBody(c, SaleBody);
      if (!body.ok) {
        return body.error;
      }
      const { amount, items, description, ...rest } = body.value;
      const result = await deps.initiateSale.execute({
        userId: c.var.user.id,
        ...rest,
        ...(amount === undefined ? {} : { amount }),
        ...(items === undefined ? {} : { items }),
        ...(description === undefined ? {} : { description }),
      });
      if (!result.ok) {
        return problemResponse(c, problemFor(result.error));
      }
      c.var.log.info({ saleId: result.value.id, businessId: result.value.businessId }, "sale initiated");
      return c.json({ sale: presentSale(result.value) }, 202);
    })
    .get("/api/sales/:saleId", async (c) => {
      const path = readParams(c, v.object({ saleId: idParam }), c.req.param());
      if (!path.ok) {
        return path.error;
      }
      const result = await deps.getSale.execute({ userId: c.var.user.id, saleId: path.value.saleId });
      return result.ok
        ? c.json({ sale: presentSale(result.value) })
        : problemResponse(c, problemFor(result.error));
    })
    .get("/api/businesses/:businessId/sales", async (c) => {
      const query = readParams(
        c,
        v.object({
          businessId: idParam,
          status: v.optional(v.picklist(PAYMENT_STATUSES, `must be one of ${PAYMENT_STATUSES.join(", ")}`)),
        }),
        { businessId: c.req.param("businessId"), status: c.req.query("status") },
      );
      if (!query.ok) {
        return query.error;
      }
      const page = readPage(c);
      if (!page.ok) {
        return page.error;
      }
      const { businessId, status } = query.value;
      const result = await deps.listSales.execute({
        userId: c.var.user.id,
        businessId,
        page: page.value,
        ...(status === undefined ? {} : { status }),
      });
      return result.ok
        ? c.json({ sales: result.value.items.map(presentSale), nextCursor: result.value.nextCursor })
        : problemResponse(c, problemFor(result.error));
    });
}

import { Hono, type MiddlewareHandler } from "hono";
import * as v from "valibot";
import type { GetSale } from "../../../application/sales/get-sale.ts";
import type { InitiateSale } from "../../../application/sales/initiate-sale.ts";
import type { ListSales } from "../../../application/sales/list-sales.ts";
import { Quantity } from "../../../domain/quantity.ts";
import { SaleDescription } from "../../../domain/sale-description.ts";
import { PAYMENT_STATUSES } from "../../../domain/stk-payment.ts";
import { domainValue } from "../domain-value.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { page, SaleSchema } from "../openapi/resource-schemas.ts";
import { PAGE_QUERY, routeDoc } from "../openapi/route-docs.ts";
import { PAGE_ENTRIES, pageOf } from "../pagination.ts";
import { presentSale } from "../presenters.ts";
import { problemResponse } from "../problem.ts";
import { jsonBody, pathParams, queryParams } from "../request-body.ts";
import { idParam, msisdnField, pushAmount } from "../schemas.ts";

const MAX_ITEMS = 100;

export const SaleBody = v.object({
  // May be left out with an API key (its own business) or by a member of one business only.
  businessId: v.optional(idParam),
  phone: msisdnField("The customer's phone, which gets the M-Pesa prompt."),
  amount: v.optional(pushAmount),
  items: v.optional(
    v.pipe(
      v.array(
        v.object({
          productId: idParam,
          quantity: domainValue((input) => Quantity.parse(input), {
            type: "integer",
            minimum: 1,
            maximum: Quantity.MAX,
          }),
        }),
        "must be a list of { productId, quantity }",
      ),
      v.minLength(1, "must list at least one item, or be left out for a plain amount"),
      v.maxLength(MAX_ITEMS, `must list at most ${MAX_ITEMS} items`),
    ),
  ),
  description: v.optional(
    domainValue((input) => SaleDescription.parse(input), {
      type: ["string", "null"],
      maxLength: SaleDescription.MAX,
    }),
  ),
});

const SalePath = v.object({ saleId: idParam });
const BusinessPath = v.object({ businessId: idParam });
const SalesQuery = v.pipe(
  v.object({
    status: v.optional(v.picklist(PAYMENT_STATUSES, `must be one of ${PAYMENT_STATUSES.join(", ")}`)),
    ...PAGE_ENTRIES,
  }),
  v.transform(({ status, ...paging }) => ({ status, page: pageOf(paging) })),
);

/** Charging a customer (`POST /api/sales/payment`, the seed's route), and reading sales back. */
export function saleRoutes(deps: {
  readonly initiateSale: InitiateSale;
  readonly getSale: GetSale;
  readonly listSales: ListSales;
  readonly idempotent: (route: string) => MiddlewareHandler<HttpEnv>;
}): Hono<HttpEnv> {
  return new Hono<HttpEnv>()
    .post(
      "/api/sales/payment",
      routeDoc({
        tag: "Sales",
        summary: "Charge a customer",
        permission: "sales:write",
        description:
          "An STK push through the business's own config. With items, the amount is their sum and their stock is reserved before Daraja is called.",
        idempotent: true,
        readsJson: true,
        success: {
          status: 202,
          description:
            "Pushed (pushOutcome accepted), or Daraja's answer did not say whether the push started (pushOutcome unknown): pending either way, stock held; poll the sale.",
          schema: v.object({ sale: SaleSchema }),
        },
        problems: [404, 409, 422, 429, 502, 503],
      }),
      deps.idempotent("POST /api/sales/payment"),
      jsonBody(SaleBody),
      async (c) => {
        const { amount, items, description, ...rest } = c.req.valid("json");
        const result = await deps.initiateSale.execute({
          access: c.var.access,
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
      },
    )
    .get(
      "/api/sales/:saleId",
      routeDoc({
        tag: "Sales",
        summary: "One sale",
        permission: "sales:read",
        success: { status: 200, description: "The sale.", schema: v.object({ sale: SaleSchema }) },
        problems: [400, 404],
      }),
      pathParams(SalePath),
      async (c) => {
        const { saleId } = c.req.valid("param");
        const result = await deps.getSale.execute({ access: c.var.access, saleId });
        return result.ok
          ? c.json({ sale: presentSale(result.value) })
          : problemResponse(c, problemFor(result.error));
      },
    )
    .get(
      "/api/businesses/:businessId/sales",
      routeDoc({
        tag: "Sales",
        summary: "A business's sales",
        permission: "sales:read",
        query: [
          { name: "status", description: "pending, paid, cancelled, failed or expired." },
          ...PAGE_QUERY,
        ],
        success: { status: 200, description: "Newest first.", schema: page("sales", SaleSchema) },
        problems: [400, 404],
      }),
      pathParams(BusinessPath),
      queryParams(SalesQuery),
      async (c) => {
        const { businessId } = c.req.valid("param");
        const { status, page } = c.req.valid("query");
        const result = await deps.listSales.execute({
          access: c.var.access,
          businessId,
          page,
          ...(status === undefined ? {} : { status }),
        });
        return result.ok
          ? c.json({ sales: result.value.items.map(presentSale), nextCursor: result.value.nextCursor })
          : problemResponse(c, problemFor(result.error));
      },
    );
}

import { Hono, type MiddlewareHandler } from "hono";
import * as v from "valibot";
import type { SaleFilter } from "../../../application/ports/sale-repository.ts";
import type { ExportMoneyIn } from "../../../application/sales/export-money-in.ts";
import type { GetSale } from "../../../application/sales/get-sale.ts";
import type { InitiateSale } from "../../../application/sales/initiate-sale.ts";
import type { ListSales } from "../../../application/sales/list-sales.ts";
import { NAIROBI_OFFSET_MS } from "../../../domain/nairobi-day.ts";
import { Quantity } from "../../../domain/quantity.ts";
import { SaleDescription } from "../../../domain/sale-description.ts";
import { safeError } from "../../logging/safe-error.ts";
import { domainValue } from "../domain-value.ts";
import { problemFor } from "../error-mapping.ts";
import type { HttpEnv } from "../http-env.ts";
import { CSV_COLUMNS, csvStream } from "../money-in-csv.ts";
import { SaleSchema } from "../openapi/resource-schemas.ts";
import { PAGE_QUERY, routeDoc } from "../openapi/route-docs.ts";
import { PAGE_ENTRIES, pageOf } from "../pagination.ts";
import { presentSale } from "../presenters.ts";
import { problemResponse } from "../problem.ts";
import { jsonBody, pathParams, queryParams } from "../request-body.ts";
import {
  SALE_FILTER_ENTRIES,
  SALE_FILTER_QUERY_DOC,
  saleFilterOf,
  TO_BEFORE_FROM,
} from "../sale-filter-query.ts";
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
  v.object({ ...SALE_FILTER_ENTRIES, ...PAGE_ENTRIES }),
  v.forward(
    v.check(({ from, to }) => from === undefined || to === undefined || from < to, TO_BEFORE_FROM),
    ["to"],
  ),
  v.transform(({ limit, cursor, ...filter }) => ({
    filter: saleFilterOf(filter),
    page: pageOf({ limit, cursor }),
  })),
);
const ExportQuery = v.pipe(
  v.object(SALE_FILTER_ENTRIES),
  v.forward(
    v.check(({ from, to }) => from === undefined || to === undefined || from < to, TO_BEFORE_FROM),
    ["to"],
  ),
  v.transform((filter) => saleFilterOf(filter)),
);

const SaleTotalsSchema = v.object({
  count: v.pipe(v.number(), v.integer(), v.description("How many sales the filter matches.")),
  paidCount: v.pipe(v.number(), v.integer(), v.description("How many of them are paid.")),
  paidAmount: v.pipe(v.number(), v.integer(), v.description("What the paid ones brought in, in shillings.")),
  refundedAmount: v.pipe(v.number(), v.integer(), v.description("What refunds sent back, in shillings.")),
});

/** The export's file name: the business and, when given, the period. */
const exportFileName = (filter: SaleFilter) => {
  const day = (at: Date) => new Date(at.getTime() + NAIROBI_OFFSET_MS).toISOString().slice(0, 10);
  const period = [filter.from, filter.to].map((at) => (at === undefined ? "" : day(at))).join("_");
  return `sales${period === "_" ? "" : `-${period}`}.csv`;
};

/** Charging a customer (`POST /api/sales/payment`, the seed's route), and reading sales back. */
export function saleRoutes(deps: {
  readonly initiateSale: InitiateSale;
  readonly getSale: GetSale;
  readonly listSales: ListSales;
  readonly exportMoneyIn: ExportMoneyIn;
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
      "/api/businesses/:businessId/sales/export.csv",
      routeDoc({
        tag: "Sales",
        summary: "Export a business's sales as CSV",
        permission: "sales:read",
        description:
          "The same filters as the list. Streamed, newest first: one row a sale and one a C2B payment that settled no sale (kind c2b; one that paid a sale shows as that sale). UTF-8 with a byte-order mark, CRLF line ends, every field quoted, so that Excel and LibreOffice open it as it is.",
        query: SALE_FILTER_QUERY_DOC,
        success: {
          status: 200,
          description: `Columns: ${CSV_COLUMNS.join(", ")}.`,
          contentType: "text/csv",
        },
        problems: [400, 404],
      }),
      pathParams(BusinessPath),
      queryParams(ExportQuery),
      async (c) => {
        const { businessId } = c.req.valid("param");
        const filter = c.req.valid("query");
        const result = await deps.exportMoneyIn.execute({ access: c.var.access, businessId, filter });
        if (!result.ok) {
          return problemResponse(c, problemFor(result.error));
        }
        const log = c.var.log;
        const body = csvStream(result.value, (error) =>
          log.error({ err: safeError(error), businessId }, "sales export failed part way"),
        );
        return c.body(body, 200, {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": `attachment; filename="${exportFileName(filter)}"`,
          "Cache-Control": "no-store",
        });
      },
    )
    .get(
      "/api/businesses/:businessId/sales",
      routeDoc({
        tag: "Sales",
        summary: "A business's sales",
        permission: "sales:read",
        query: [...SALE_FILTER_QUERY_DOC, ...PAGE_QUERY],
        success: {
          status: 200,
          description: "Newest first, with the totals of the whole filtered set (not just the page).",
          schema: v.object({
            sales: v.array(SaleSchema),
            nextCursor: v.nullable(v.string()),
            totals: SaleTotalsSchema,
          }),
        },
        problems: [400, 404],
      }),
      pathParams(BusinessPath),
      queryParams(SalesQuery),
      async (c) => {
        const { businessId } = c.req.valid("param");
        const { filter, page } = c.req.valid("query");
        const result = await deps.listSales.execute({ access: c.var.access, businessId, filter, page });
        return result.ok
          ? c.json({
              sales: result.value.items.map(presentSale),
              nextCursor: result.value.nextCursor,
              totals: result.value.totals,
            })
          : problemResponse(c, problemFor(result.error));
      },
    );
}

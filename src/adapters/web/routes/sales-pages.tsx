import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import * as v from "valibot";
import type { GetAccount } from "../../../application/accounts/get-account.ts";
import type { GetPaymentConfig } from "../../../application/payment-configs/get-payment-config.ts";
import type { SaleFilter } from "../../../application/ports/sale-repository.ts";
import type { ExportMoneyIn } from "../../../application/sales/export-money-in.ts";
import type { GetPublicReceipt } from "../../../application/sales/get-public-receipt.ts";
import type { GetSale } from "../../../application/sales/get-sale.ts";
import type { InitiateSale } from "../../../application/sales/initiate-sale.ts";
import { ENDED, type ListMoneyIn, type ListPosition } from "../../../application/sales/list-money-in.ts";
import type { ShareReceipt } from "../../../application/sales/share-receipt.ts";
import { may } from "../../../application/shared/authorize.ts";
import type { Business } from "../../../domain/business.ts";
import { NAIROBI_OFFSET_MS, startOfNairobiDay } from "../../../domain/nairobi-day.ts";
import { Quantity } from "../../../domain/quantity.ts";
import type { Sale } from "../../../domain/sale.ts";
import { SaleDescription } from "../../../domain/sale-description.ts";
import { problemFor } from "../../http/error-mapping.ts";
import { csvStream } from "../../http/money-in-csv.ts";
import { routeDoc } from "../../http/openapi/route-docs.ts";
import { SALE_FILTER_ENTRIES, saleFilterOf, TO_BEFORE_FROM } from "../../http/sale-filter-query.ts";
import { safeError } from "../../logging/safe-error.ts";
import { chooseBusiness, isId } from "../choose-business.ts";
import { RefundLink } from "../components/refund-panel.tsx";
import { failedForm } from "../form-state.ts";
import { FormValues } from "../form-values.ts";
import { htmlPage } from "../html-page.ts";
import { notYourBusiness } from "../not-your-business.tsx";
import type { OncePerForm } from "../once-per-form.ts";
import { formDoc, htmlPageDoc } from "../page-docs.ts";
import { MessagePage } from "../pages/message-page.tsx";
import { ReceiptPage } from "../pages/receipt-page.tsx";
import { mayChargeAgain, SalePage } from "../pages/sale-page.tsx";
import { type Preset, type SalesFilterValues, SalesPage } from "../pages/sales-page.tsx";
import { memberBusinessId, notAllowed, webAccess } from "../web-access.tsx";
import type { WebEnv } from "../web-env.ts";
import type { WebSessionGuard } from "../web-session-guard.tsx";

export type SalesPageDependencies = {
  readonly getAccount: GetAccount;
  readonly getPaymentConfig: GetPaymentConfig;
  readonly listMoneyIn: ListMoneyIn;
  readonly exportMoneyIn: ExportMoneyIn;
  readonly getSale: GetSale;
  readonly initiateSale: InitiateSale;
  readonly shareReceipt: ShareReceipt;
  readonly getPublicReceipt: GetPublicReceipt;
  readonly guard: WebSessionGuard;
  readonly sameOrigin: MiddlewareHandler<WebEnv>;
  readonly oncePerForm: OncePerForm;
  readonly clock: { now(): Date };
};

const PAGE_SIZE = 25;
const DAY_MS = 24 * 60 * 60 * 1000;
/** A receipt token as RandomReceiptTokens issues them; anything else is not looked up. */
const RECEIPT_TOKEN = /^[A-Za-z0-9_-]{32}$/;

/** The Nairobi calendar date of an instant, as a date input writes it. */
const nairobiDate = (at: Date) => new Date(at.getTime() + NAIROBI_OFFSET_MS).toISOString().slice(0, 10);

/** Today, yesterday, this week (from Monday) and this month, as Nairobi days. */
export function presetsAt(now: Date): Preset[] {
  const today = startOfNairobiDay(now);
  const yesterday = new Date(today.getTime() - DAY_MS);
  const weekday = (new Date(today.getTime() + NAIROBI_OFFSET_MS).getUTCDay() + 6) % 7;
  const monday = new Date(today.getTime() - weekday * DAY_MS);
  const day = nairobiDate(today);
  return [
    { name: "Today", from: day, to: day },
    { name: "Yesterday", from: nairobiDate(yesterday), to: nairobiDate(yesterday) },
    { name: "This week", from: nairobiDate(monday), to: day },
    { name: "This month", from: `${day.slice(0, 8)}01`, to: day },
  ];
}

const FilterQuery = v.pipe(
  v.object({
    from: SALE_FILTER_ENTRIES.from,
    to: SALE_FILTER_ENTRIES.to,
    status: SALE_FILTER_ENTRIES.status,
    q: SALE_FILTER_ENTRIES.q,
  }),
  v.forward(
    v.check(({ from, to }) => from === undefined || to === undefined || from < to, TO_BEFORE_FROM),
    ["to"],
  ),
);

/** A position in the paging links: an id, or `end` once that list has nothing more. */
const position = (text: string | undefined): ListPosition =>
  text === ENDED ? ENDED : isId(text) ? text : null;

/** The filters typed into the page, read as the API reads its query; a blank box is no filter. */
function readFilters(c: Context<WebEnv>): {
  values: SalesFilterValues;
  filter: SaleFilter | null;
  errors: Record<string, string>;
} {
  const typed = (name: string) => (c.req.query(name) ?? "").trim().slice(0, 200);
  const values = { from: typed("from"), to: typed("to"), status: typed("status"), q: typed("q") };
  const given = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ""));
  const parsed = v.safeParse(FilterQuery, given);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.issues) {
      const key = issue.path?.[0]?.key;
      if (typeof key === "string") {
        errors[key] = `${key === "q" ? "Search" : key[0]?.toUpperCase() + key.slice(1)} ${issue.message}.`;
      }
    }
    return { values, filter: null, errors };
  }
  return { values, filter: saleFilterOf(parsed.output), errors: {} };
}

/** The filters' part of a link, with the business. */
function filterQuery(businessId: string, values: SalesFilterValues): string {
  const params = new URLSearchParams({ business: businessId });
  for (const [name, value] of Object.entries(values)) {
    if (value !== "") {
      params.set(name, value);
    }
  }
  return `?${params.toString()}`;
}

/**
 * The sales pages: `/sales` (history with filters, totals, paging and the CSV download), `/sales/:id` (one sale,
 * charge again, its receipt link), and the public receipt `/r/:token`.
 */
export function salesPages(deps: SalesPageDependencies): Hono<WebEnv> {
  const pages = new Hono<WebEnv>();
  const signedInForm = [deps.sameOrigin, deps.guard.page, deps.guard.formToken] as const;

  const businessesOf = async (c: Context<WebEnv>) =>
    (await deps.getAccount.execute(c.var.session.user)).businesses.map((m) => m.business);

  pages.get(
    "/sales",
    htmlPageDoc("Sales", "Every sale and C2B payment, filtered by dates, status and search, with totals."),
    deps.guard.page,
    async (c) => {
      const session = c.var.session;
      const businesses = await businessesOf(c);
      const business = chooseBusiness(businesses, c.req.query("business"));
      if (business === undefined) {
        return notYourBusiness(c);
      }
      if (!may(session.actor, "sales:read", business.id)) {
        return notAllowed(c, "see sales");
      }
      const { values, filter, errors } = readFilters(c);
      const cursor = { sale: position(c.req.query("s")), c2b: position(c.req.query("c")) };
      const result =
        filter === null
          ? null
          : await deps.listMoneyIn.execute({
              access: webAccess(session, "sales:read"),
              businessId: business.id,
              filter,
              limit: PAGE_SIZE,
              cursor,
            });
      const query = filterQuery(business.id, values);
      const page = result?.ok === true ? result.value : null;
      const next = page?.next ?? null;
      return htmlPage(
        c,
        <SalesPage
          session={session}
          businesses={businesses}
          business={business}
          values={values}
          errors={errors}
          presets={presetsAt(deps.clock.now())}
          page={page}
          filterQuery={query}
          olderHref={
            next === null
              ? null
              : `/sales${query}&s=${encodeURIComponent(next.sale ?? "")}&c=${encodeURIComponent(next.c2b ?? "")}`
          }
          firstPage={cursor.sale === null && cursor.c2b === null}
        />,
        filter === null ? 400 : 200,
      );
    },
  );

  pages.get(
    "/sales/download",
    routeDoc({
      tag: "Web pages",
      summary: "Sales as CSV",
      description:
        "The filtered sales as a CSV file (UTF-8 with BOM, CRLF), streamed: the page's download link.",
      auth: "cookie",
      success: { status: 200, description: "A CSV file.", contentType: "text/csv" },
    }),
    deps.guard.page,
    async (c) => {
      const session = c.var.session;
      const businessId = memberBusinessId(session, c.req.query("business"));
      if (businessId === undefined) {
        return notYourBusiness(c);
      }
      const { filter } = readFilters(c);
      if (filter === null) {
        return htmlPage(
          c,
          <MessagePage
            title="Filters not understood"
            message="The dates or the status of this download could not be read. Go back and check the filters."
            session={session}
            link={{ href: `/sales?business=${businessId}`, text: "Back to sales" }}
          />,
          400,
        );
      }
      const result = await deps.exportMoneyIn.execute({
        access: webAccess(session, "sales:read"),
        businessId,
        filter,
      });
      if (!result.ok) {
        return result.error.type === "forbidden" ? notAllowed(c, "export sales") : notYourBusiness(c);
      }
      const log = c.var.log;
      const body = csvStream(result.value, (error) =>
        log.error({ err: safeError(error), businessId }, "sales export failed part way"),
      );
      const period = [filter.from, filter.to]
        .map((at) => (at === undefined ? "" : nairobiDate(at)))
        .join("_");
      return c.body(body, 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="sales${period === "_" ? "" : `-${period}`}.csv"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      });
    },
  );

  /** The sale of one of the user's businesses, with that business; null for anything else. */
  const saleOf = async (
    c: Context<WebEnv>,
    id: string,
  ): Promise<{ sale: Sale; business: Business } | null> => {
    if (!isId(id)) {
      return null;
    }
    const found = await deps.getSale.execute({ access: webAccess(c.var.session, "sales:read"), saleId: id });
    if (!found.ok) {
      return null;
    }
    const business = (await businessesOf(c)).find((b) => b.id === found.value.businessId);
    return business === undefined ? null : { sale: found.value, business };
  };

  const renderSale = async (
    c: Context<WebEnv>,
    found: { sale: Sale; business: Business },
    chargeAgain?: ReturnType<typeof failedForm>,
    status: ContentfulStatusCode = 200,
  ) => {
    const session = c.var.session;
    const { sale, business } = found;
    const config = may(session.actor, "configs:manage", business.id)
      ? await deps.getPaymentConfig.execute({
          access: webAccess(session, "configs:manage"),
          businessId: business.id,
        })
      : null;
    const paybill =
      config?.ok === true && config.value.config.method === "paybill"
        ? config.value.config.shortcode.value
        : null;
    const token =
      sale.status === "paid"
        ? await deps.shareReceipt.execute({ access: webAccess(session, "sales:read"), saleId: sale.id })
        : null;
    const origin = new URL(c.req.url).origin;
    return htmlPage(
      c,
      <SalePage
        session={session}
        business={business}
        sale={sale}
        paybill={paybill}
        receiptUrl={token?.ok === true ? `${origin}/r/${token.value}` : null}
        canCharge={may(session.actor, "sales:write", business.id)}
        chargeAgain={chargeAgain}
        refundSlot={<RefundLink sale={sale} session={session} />}
      />,
      status,
    );
  };

  pages.get(
    "/sales/:id",
    htmlPageDoc("A sale", "Its items, timeline, receipt link, and charging again after a failure."),
    deps.guard.page,
    async (c) => {
      const found = await saleOf(c, c.req.param("id"));
      return found === null ? notFound(c) : renderSale(c, found);
    },
  );

  pages.post(
    "/sales/:id/charge-again",
    formDoc(
      "Charge again",
      "A new sale with the same items and phone, for a sale that failed or was cancelled.",
    ),
    ...signedInForm,
    async (c) => {
      const form = await FormValues.of(c);
      const found = await saleOf(c, c.req.param("id"));
      if (found === null) {
        return notFound(c);
      }
      const { sale, business } = found;
      if (!may(c.var.session.actor, "sales:write", business.id)) {
        return notAllowed(c, "charge customers");
      }
      const here = `/sales/${sale.id}?business=${encodeURIComponent(business.id)}`;
      if (!mayChargeAgain(sale)) {
        // Paid, or its outcome is still unknown: a second prompt could make the customer pay twice.
        return c.redirect(here, 303);
      }
      return deps.oncePerForm.run(
        c,
        { userId: c.var.session.user.id, route: "POST /sales/:id/charge-again", whileRunning: here },
        form,
        async () => {
          const items = sale.items.flatMap((item) => {
            const quantity = Quantity.parse(item.quantity);
            return quantity.ok ? [{ productId: item.productId, quantity: quantity.value }] : [];
          });
          const description = SaleDescription.parse(sale.description);
          const result = await deps.initiateSale.execute({
            access: webAccess(c.var.session, "sales:write"),
            businessId: business.id,
            phone: sale.phone,
            ...(items.length > 0 ? { items } : { amount: sale.amount }),
            ...(description.ok ? { description: description.value } : {}),
          });
          if (result.ok) {
            c.var.log.info(
              { businessId: business.id, saleId: result.value.id, from: sale.id },
              "sale charged again",
            );
            return c.redirect(`/sales/${result.value.id}?business=${encodeURIComponent(business.id)}`, 303);
          }
          const problem = problemFor(result.error);
          return renderSale(c, found, failedForm({}, problem, {}), problem.status);
        },
      );
    },
  );

  pages.get(
    "/r/:token",
    htmlPageDoc("A receipt", "The public receipt of a paid sale, for whoever holds its link.", false),
    async (c) => {
      const token = c.req.param("token");
      const found = RECEIPT_TOKEN.test(token) ? await deps.getPublicReceipt.execute({ token }) : null;
      const response =
        found?.ok === true
          ? await htmlPage(c, <ReceiptPage receipt={found.value} url={new URL(c.req.url).toString()} />)
          : await htmlPage(
              c,
              <MessagePage
                title="Receipt not found"
                message="This receipt link is not valid. Ask the shop for a new one."
              />,
              404,
            );
      // The link is the receipt's only key: it must not leave in a Referer, nor be indexed.
      response.headers.set("Referrer-Policy", "no-referrer");
      response.headers.set("X-Robots-Tag", "noindex, nofollow");
      return response;
    },
  );

  return pages;
}

function notFound(c: Context<WebEnv>) {
  return htmlPage(
    c,
    <MessagePage
      title="Sale not found"
      message="This sale is not one of your businesses', or does not exist."
      session={c.var.session}
      link={{ href: "/sales", text: "Back to sales" }}
    />,
    404,
  );
}

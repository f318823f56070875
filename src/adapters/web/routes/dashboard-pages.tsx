import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { GetAccount } from "../../../application/accounts/get-account.ts";
import type { ListC2bPayments } from "../../../application/c2b/list-c2b-payments.ts";
import type { GetPaymentConfig } from "../../../application/payment-configs/get-payment-config.ts";
import type { CreateProduct } from "../../../application/sales/create-product.ts";
import type { GetSale } from "../../../application/sales/get-sale.ts";
import type { InitiateSale } from "../../../application/sales/initiate-sale.ts";
import type { ListProducts } from "../../../application/sales/list-products.ts";
import type { ListSales } from "../../../application/sales/list-sales.ts";
import type { GetWallet } from "../../../application/wallet/get-wallet.ts";
import type { GetWalletPurchase } from "../../../application/wallet/get-wallet-purchase.ts";
import type { InitiateWalletPurchase } from "../../../application/wallet/initiate-wallet-purchase.ts";
import { problemFor } from "../../http/error-mapping.ts";
import { problemResponse } from "../../http/problem.ts";
import { chooseBusiness, isId } from "../choose-business.ts";
import { chargeCommandFrom, productCommandFrom, walletPurchaseCommandFrom } from "../dashboard-forms.ts";
import { failedForm } from "../form-state.ts";
import { FormValues } from "../form-values.ts";
import { htmlPage } from "../html-page.ts";
import { notYourBusiness } from "../not-your-business.tsx";
import type { OncePerForm } from "../once-per-form.ts";
import { formDoc, htmlPageDoc, statusDoc } from "../page-docs.ts";
import {
  BUY_LABELS,
  CHARGE_LABELS,
  type DashboardForms,
  DashboardPage,
  PRODUCT_LABELS,
  quantityField,
} from "../pages/dashboard-page.tsx";
import { describePayment } from "../payment-status.ts";
import { abilitiesIn, memberBusinessId, notAllowed, webAccess } from "../web-access.tsx";
import type { WebEnv } from "../web-env.ts";
import type { WebSessionGuard } from "../web-session-guard.tsx";

export type DashboardPageDependencies = {
  readonly getAccount: GetAccount;
  readonly getPaymentConfig: GetPaymentConfig;
  readonly getWallet: GetWallet;
  readonly getWalletPurchase: GetWalletPurchase;
  readonly initiateWalletPurchase: InitiateWalletPurchase;
  readonly listProducts: ListProducts;
  readonly createProduct: CreateProduct;
  readonly listSales: ListSales;
  readonly listC2bPayments: ListC2bPayments;
  readonly getSale: GetSale;
  readonly initiateSale: InitiateSale;
  readonly guard: WebSessionGuard;
  readonly sameOrigin: MiddlewareHandler<WebEnv>;
  readonly oncePerForm: OncePerForm;
};

const RECENT_SALES = 10;
const PRODUCTS_SHOWN = 50;
const WALLET_ENTRIES = 5;
const QUANTITY = /^qty\.([0-9a-f-]{36})$/i;

/** `/dashboard`: the wallet, products, recent sales and charging a customer, with their status endpoints. */
export function dashboardPages(deps: DashboardPageDependencies): Hono<WebEnv> {
  const pages = new Hono<WebEnv>();
  const signedInForm = [deps.sameOrigin, deps.guard.page, deps.guard.formToken] as const;

  const render = async (
    c: Context<WebEnv>,
    requested: {
      business?: string | undefined;
      purchase?: string | undefined;
      sale?: string | undefined;
      find?: string | undefined;
    },
    forms: DashboardForms = {},
    status: ContentfulStatusCode = 200,
  ) => {
    const { session } = c.var;
    const userId = session.user.id;
    const account = await deps.getAccount.execute(session.user);
    const businesses = account.businesses.map((m) => m.business);
    const business = chooseBusiness(businesses, requested.business);
    if (business === undefined) {
      return notYourBusiness(c);
    }
    const businessId = business.id;
    const abilities = abilitiesIn(session, businessId);
    const find = (requested.find ?? "").replaceAll("\u0000", "").trim().slice(0, 120);
    const [config, wallet, products, sales, c2bPayments, purchase, sale] = await Promise.all([
      abilities.configs
        ? deps.getPaymentConfig.execute({ access: webAccess(session, "configs:manage"), businessId })
        : Promise.resolve(null),
      deps.getWallet.execute({ userId, page: { limit: WALLET_ENTRIES, cursor: null } }),
      deps.listProducts.execute({
        access: webAccess(session, "products:read"),
        businessId,
        filter: find === "" ? {} : { q: find },
        page: { limit: PRODUCTS_SHOWN, cursor: null },
      }),
      deps.listSales.execute({
        access: webAccess(session, "sales:read"),
        businessId,
        page: { limit: RECENT_SALES, cursor: null },
      }),
      deps.listC2bPayments.execute({
        access: webAccess(session, "c2b:read"),
        businessId,
        filter: {},
        page: { limit: RECENT_SALES, cursor: null },
      }),
      isId(requested.purchase)
        ? deps.getWalletPurchase.execute({ userId, purchaseId: requested.purchase })
        : Promise.resolve(null),
      isId(requested.sale)
        ? deps.getSale.execute({ access: webAccess(session, "sales:read"), saleId: requested.sale })
        : Promise.resolve(null),
    ]);
    return htmlPage(
      c,
      <DashboardPage
        session={session}
        businesses={businesses}
        business={business}
        config={config?.ok === true ? config.value : null}
        abilities={abilities}
        wallet={wallet}
        products={products.ok ? products.value.items : []}
        productsMore={products.ok && products.value.nextCursor !== null}
        find={find}
        sales={sales.ok ? sales.value.items : []}
        c2bPayments={c2bPayments.ok ? c2bPayments.value.items : []}
        purchase={purchase?.ok === true ? purchase.value : null}
        sale={sale?.ok === true && sale.value.businessId === businessId ? sale.value : null}
        forms={forms}
      />,
      status,
    );
  };

  const dashboardOf = (businessId: string, extra = "") =>
    `/dashboard?business=${encodeURIComponent(businessId)}${extra}`;

  pages.get(
    "/dashboard",
    htmlPageDoc("Dashboard", "Wallet, products, recent sales, and charging a customer."),
    deps.guard.page,
    (c) =>
      render(c, {
        business: c.req.query("business"),
        purchase: c.req.query("purchase"),
        sale: c.req.query("sale"),
        find: c.req.query("find"),
      }),
  );

  pages.post(
    "/dashboard/wallet/buy",
    formDoc("Buy tokens", "Pushes a wallet purchase to the phone."),
    ...signedInForm,
    async (c) => {
      const form = await FormValues.of(c);
      const businessId = memberBusinessId(c.var.session, form.text("business"));
      if (businessId === undefined) {
        return notYourBusiness(c);
      }
      const userId = c.var.session.user.id;
      return deps.oncePerForm.run(
        c,
        { userId, route: "POST /dashboard/wallet/buy", whileRunning: dashboardOf(businessId, "#wallet") },
        form,
        async () => {
          const command = walletPurchaseCommandFrom(form, { userId });
          const result = command.ok ? await deps.initiateWalletPurchase.execute(command.value) : command;
          if (!result.ok) {
            const problem = problemFor(result.error);
            return render(
              c,
              { business: businessId },
              { buy: failedForm(form.echo(), problem, BUY_LABELS) },
              problem.status,
            );
          }
          return c.redirect(dashboardOf(businessId, `&purchase=${result.value.id}#wallet`), 303);
        },
      );
    },
  );

  pages.post(
    "/dashboard/products",
    formDoc("Add a product", "Adds a product with its price and stock."),
    ...signedInForm,
    async (c) => {
      const form = await FormValues.of(c);
      const businessId = memberBusinessId(c.var.session, form.text("business"));
      if (businessId === undefined) {
        return notYourBusiness(c);
      }
      if (!abilitiesIn(c.var.session, businessId).products) {
        return notAllowed(c, "add products");
      }
      const command = productCommandFrom(form, {
        access: webAccess(c.var.session, "products:write"),
        businessId,
      });
      const result = command.ok ? await deps.createProduct.execute(command.value) : command;
      if (!result.ok) {
        const problem = problemFor(result.error);
        const product =
          result.error.type === "sku_taken"
            ? { values: form.echo(), fieldErrors: { sku: problem.detail }, formError: null }
            : failedForm(form.echo(), problem, PRODUCT_LABELS);
        return render(c, { business: businessId }, { product }, problem.status);
      }
      c.var.log.info({ businessId, productId: result.value.id }, "product created in the browser");
      return c.redirect(dashboardOf(businessId, "#products"), 303);
    },
  );

  pages.post(
    "/dashboard/charge",
    formDoc("Charge a customer", "Pushes a sale to the customer's phone."),
    ...signedInForm,
    async (c) => {
      const form = await FormValues.of(c);
      const businessId = memberBusinessId(c.var.session, form.text("business"));
      if (businessId === undefined) {
        return notYourBusiness(c);
      }
      const userId = c.var.session.user.id;
      // One line per product whose quantity box is filled with anything but 0, in the order of the page.
      const items = form.names().flatMap((name) => {
        const productId = QUANTITY.exec(name)?.[1];
        const typed = form.text(name).trim();
        return productId === undefined || !isId(productId) || typed === "" || typed === "0"
          ? []
          : [{ productId, quantity: form.number(name) }];
      });
      return deps.oncePerForm.run(
        c,
        { userId, route: "POST /dashboard/charge", whileRunning: dashboardOf(businessId, "#charge") },
        form,
        async () => {
          const command = chargeCommandFrom(form, items, {
            access: webAccess(c.var.session, "sales:write"),
            businessId,
          });
          const result = command.ok ? await deps.initiateSale.execute(command.value) : command;
          if (result.ok) {
            c.var.log.info({ businessId, saleId: result.value.id }, "sale initiated in the browser");
            return c.redirect(dashboardOf(businessId, `&sale=${result.value.id}#charge`), 303);
          }
          const problem = problemFor(result.error);
          const labels: Record<string, string> = { ...CHARGE_LABELS };
          for (const item of items) {
            labels[quantityField(item.productId)] = "Quantity";
          }
          const charge = failedForm(form.echo(), problem, labels, (path) => {
            const line = /^items\.(\d+)\.quantity$/.exec(path);
            const item = line?.[1] === undefined ? undefined : items[Number(line[1])];
            if (item !== undefined) {
              return quantityField(item.productId);
            }
            return path in CHARGE_LABELS ? path : undefined;
          });
          const fieldErrors =
            result.error.type === "insufficient_stock"
              ? {
                  ...charge.fieldErrors,
                  [quantityField(result.error.productId)]: `Only ${result.error.available} left.`,
                }
              : charge.fieldErrors;
          return render(c, { business: businessId }, { charge: { ...charge, fieldErrors } }, problem.status);
        },
      );
    },
  );

  pages.get(
    "/dashboard/purchases/:id/status",
    statusDoc("Status of a token purchase"),
    deps.guard.statusEndpoint,
    async (c) => {
      const id = c.req.param("id");
      const found = isId(id)
        ? await deps.getWalletPurchase.execute({ userId: c.var.session.user.id, purchaseId: id })
        : null;
      return found?.ok === true
        ? c.json(describePayment(found.value, "purchase", found.value))
        : problemResponse(c, {
            status: 404,
            code: "not_found",
            title: "Not found",
            detail: "No such token purchase.",
          });
    },
  );

  pages.get(
    "/dashboard/sales/:id/status",
    statusDoc("Status of a sale"),
    deps.guard.statusEndpoint,
    async (c) => {
      const id = c.req.param("id");
      const found = isId(id)
        ? await deps.getSale.execute({ access: webAccess(c.var.session, "sales:read"), saleId: id })
        : null;
      return found?.ok === true
        ? c.json(describePayment(found.value, "sale"))
        : problemResponse(c, { status: 404, code: "not_found", title: "Not found", detail: "No such sale." });
    },
  );

  return pages;
}

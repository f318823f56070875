import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { GetAccount } from "../../../application/accounts/get-account.ts";
import type { ArchiveProduct } from "../../../application/sales/archive-product.ts";
import type { CreateProduct } from "../../../application/sales/create-product.ts";
import type { GetProduct } from "../../../application/sales/get-product.ts";
import type { ListProducts } from "../../../application/sales/list-products.ts";
import type { RestockProduct } from "../../../application/sales/restock-product.ts";
import type { UpdateProduct } from "../../../application/sales/update-product.ts";
import { may } from "../../../application/shared/authorize.ts";
import { validateAll } from "../../../domain/invalid-value.ts";
import { Kes } from "../../../domain/kes.ts";
import type { Product } from "../../../domain/product.ts";
import { ProductName } from "../../../domain/product-name.ts";
import { ok } from "../../../domain/result.ts";
import { Sku } from "../../../domain/sku.ts";
import { StockLevel } from "../../../domain/stock-level.ts";
import { problemFor } from "../../http/error-mapping.ts";
import { chooseBusiness, isId } from "../choose-business.ts";
import { productCommandFrom } from "../dashboard-forms.ts";
import { failedForm } from "../form-state.ts";
import { FormValues } from "../form-values.ts";
import { htmlPage } from "../html-page.ts";
import { notYourBusiness } from "../not-your-business.tsx";
import { formDoc, htmlPageDoc } from "../page-docs.ts";
import { PRODUCT_LABELS } from "../pages/dashboard-page.tsx";
import { type ProductForms, ProductsPage, RESTOCK_LABELS } from "../pages/products-page.tsx";
import { memberBusinessId, notAllowed, webAccess } from "../web-access.tsx";
import type { WebEnv } from "../web-env.ts";
import type { WebSessionGuard } from "../web-session-guard.tsx";

export type ProductPageDependencies = {
  readonly getAccount: GetAccount;
  readonly listProducts: ListProducts;
  readonly getProduct: GetProduct;
  readonly createProduct: CreateProduct;
  readonly updateProduct: UpdateProduct;
  readonly restockProduct: RestockProduct;
  readonly archiveProduct: ArchiveProduct;
  readonly guard: WebSessionGuard;
  readonly sameOrigin: MiddlewareHandler<WebEnv>;
};

const PAGE_SIZE = 50;

/**
 * What a successful product form did, carried by its redirect (`done=…&product=…`) to the products page, which
 * words the notice from the product as it is now. Only these words and a product of the business shown make a
 * notice, so a crafted link can put no text of its own on the page.
 */
const DONE = {
  saved: (product: Product) => `Saved ${product.name}.`,
  restocked: (product: Product) => `${product.name}: ${product.stock.toLocaleString("en-US")} in stock now.`,
  archived: (product: Product) =>
    `${product.name} is archived: it can no longer be sold. "Show archived" lists it.`,
} as const;

type Done = keyof typeof DONE;

const isDone = (value: string | undefined): value is Done =>
  value !== undefined && Object.hasOwn(DONE, value);

/** `/products`: find, page, add, edit, restock and archive a business's products. */
export function productPages(deps: ProductPageDependencies): Hono<WebEnv> {
  const pages = new Hono<WebEnv>();
  const signedInForm = [deps.sameOrigin, deps.guard.page, deps.guard.formToken] as const;

  const render = async (
    c: Context<WebEnv>,
    requested: string | undefined,
    view: {
      q?: string;
      archived?: boolean;
      after?: string;
      done?: { done: Done; productId: string };
      forms?: ProductForms;
    } = {},
    status: ContentfulStatusCode = 200,
  ) => {
    const session = c.var.session;
    const businesses = (await deps.getAccount.execute(session.user)).businesses.map((m) => m.business);
    const business = chooseBusiness(businesses, requested);
    if (business === undefined) {
      return notYourBusiness(c);
    }
    if (!may(session.actor, "products:read", business.id)) {
      return notAllowed(c, "see products");
    }
    const q = (view.q ?? "").replaceAll("\u0000", "").trim().slice(0, ProductName.MAX);
    const archived = view.archived === true;
    const products = await deps.listProducts.execute({
      access: webAccess(session, "products:read"),
      businessId: business.id,
      filter: { includeArchived: archived, ...(q === "" ? {} : { q }) },
      page: { limit: PAGE_SIZE, cursor: isId(view.after) ? view.after : null },
    });
    const next = products.ok ? products.value.nextCursor : null;
    // What a redirect asked to report, worded from the product as it is now, in the business shown.
    const reported =
      view.done === undefined
        ? null
        : await deps.getProduct.execute({
            access: webAccess(session, "products:read"),
            businessId: business.id,
            productId: view.done.productId,
          });
    const notice =
      view.done !== undefined && reported?.ok === true ? DONE[view.done.done](reported.value) : null;
    const params = new URLSearchParams({ business: business.id, ...(q === "" ? {} : { q }) });
    if (archived) {
      params.set("archived", "true");
    }
    return htmlPage(
      c,
      <ProductsPage
        session={session}
        businesses={businesses}
        business={business}
        products={products.ok ? products.value.items : []}
        q={q}
        archived={archived}
        canEdit={may(session.actor, "products:write", business.id)}
        olderHref={next === null ? null : `/products?${params.toString()}&after=${next}`}
        notice={notice}
        forms={view.forms ?? {}}
      />,
      status,
    );
  };

  const backTo = (businessId: string, productId?: string) =>
    `/products?business=${encodeURIComponent(businessId)}${productId === undefined ? "" : `#products`}`;

  /** Post/Redirect/Get: a form that changed a product answers 303 to the products page, which says what was done. */
  const doneWith = (c: Context<WebEnv>, businessId: string, done: Done, productId: string) =>
    c.redirect(
      `/products?business=${encodeURIComponent(businessId)}&done=${done}&product=${encodeURIComponent(productId)}#products`,
      303,
    );

  pages.get(
    "/products",
    htmlPageDoc("Products", "Find, add, edit, restock and archive products."),
    deps.guard.page,
    (c) => {
      const done = c.req.query("done");
      const productId = c.req.query("product");
      return render(c, c.req.query("business"), {
        q: c.req.query("q") ?? "",
        archived: c.req.query("archived") === "true",
        after: c.req.query("after"),
        ...(isDone(done) && isId(productId) ? { done: { done, productId } } : {}),
      });
    },
  );

  /** A product form's business, if the user may change products there; otherwise the refusal. */
  const formBusiness = async (c: Context<WebEnv>, form: FormValues) => {
    const businessId = memberBusinessId(c.var.session, form.text("business"));
    if (businessId === undefined) {
      return { refused: await notYourBusiness(c) };
    }
    if (!may(c.var.session.actor, "products:write", businessId)) {
      return { refused: await notAllowed(c, "change products") };
    }
    return { businessId };
  };

  pages.post("/products", formDoc("Add a product", "Adds a product."), ...signedInForm, async (c) => {
    const form = await FormValues.of(c);
    const business = await formBusiness(c, form);
    if (business.businessId === undefined) {
      return business.refused;
    }
    const { businessId } = business;
    const command = productCommandFrom(form, {
      access: webAccess(c.var.session, "products:write"),
      businessId,
    });
    const result = command.ok ? await deps.createProduct.execute(command.value) : command;
    if (!result.ok) {
      const problem = problemFor(result.error);
      const add =
        result.error.type === "sku_taken"
          ? { values: form.echo(), fieldErrors: { sku: problem.detail }, formError: null }
          : failedForm(form.echo(), problem, PRODUCT_LABELS);
      return render(c, businessId, { forms: { add } }, problem.status);
    }
    return c.redirect(backTo(businessId, result.value.id), 303);
  });

  pages.post(
    "/products/:id/edit",
    formDoc("Edit a product", "Changes its name, price or SKU."),
    ...signedInForm,
    async (c) => {
      const form = await FormValues.of(c);
      const business = await formBusiness(c, form);
      if (business.businessId === undefined) {
        return business.refused;
      }
      const { businessId } = business;
      const productId = c.req.param("id");
      const sku = form.optional("sku");
      const parsed = validateAll({
        name: ProductName.parse(form.text("name")),
        price: Kes.forPrice(form.number("price")),
        sku: sku === undefined ? ok(null) : Sku.parse(sku),
      });
      const result = !isId(productId)
        ? null
        : parsed.ok
          ? await deps.updateProduct.execute({
              access: webAccess(c.var.session, "products:write"),
              businessId,
              productId,
              changes: parsed.value,
            })
          : parsed;
      if (result === null) {
        return notYourBusiness(c);
      }
      if (!result.ok) {
        const problem = problemFor(result.error);
        const edit =
          result.error.type === "sku_taken"
            ? { values: form.echo(), fieldErrors: { sku: problem.detail }, formError: null }
            : failedForm(form.echo(), problem, PRODUCT_LABELS);
        return render(c, businessId, { forms: { edit: { productId, form: edit } } }, problem.status);
      }
      return doneWith(c, businessId, "saved", result.value.id);
    },
  );

  pages.post(
    "/products/:id/restock",
    formDoc("Restock a product", "Adds delivered units to the stock, whatever pending sales hold."),
    ...signedInForm,
    async (c) => {
      const form = await FormValues.of(c);
      const business = await formBusiness(c, form);
      if (business.businessId === undefined) {
        return business.refused;
      }
      const { businessId } = business;
      const productId = c.req.param("id");
      if (!isId(productId)) {
        return notYourBusiness(c);
      }
      const quantity = StockLevel.parseDelivery(form.number("quantity"));
      const result = quantity.ok
        ? await deps.restockProduct.execute({
            access: webAccess(c.var.session, "products:write"),
            businessId,
            productId,
            quantity: quantity.value,
          })
        : quantity;
      if (!result.ok) {
        const problem = problemFor(result.error);
        const restock = failedForm(form.echo(), problem, RESTOCK_LABELS);
        return render(c, businessId, { forms: { restock: { productId, form: restock } } }, problem.status);
      }
      return doneWith(c, businessId, "restocked", result.value.id);
    },
  );

  pages.post(
    "/products/:id/archive",
    formDoc("Archive a product", "It can no longer be sold; it stays in the sales that list it."),
    ...signedInForm,
    async (c) => {
      const form = await FormValues.of(c);
      const business = await formBusiness(c, form);
      if (business.businessId === undefined) {
        return business.refused;
      }
      const { businessId } = business;
      const productId = c.req.param("id");
      const result = isId(productId)
        ? await deps.archiveProduct.execute({
            access: webAccess(c.var.session, "products:write"),
            businessId,
            productId,
          })
        : null;
      if (result?.ok !== true) {
        return notYourBusiness(c);
      }
      return doneWith(c, businessId, "archived", result.value.id);
    },
  );

  return pages;
}

import type { FC } from "hono/jsx";
import type { Business } from "../../../domain/business.ts";
import type { Product } from "../../../domain/product.ts";
import { CsrfField } from "../components/csrf-field.tsx";
import { Field } from "../components/field.tsx";
import { FormAlert } from "../components/form-alert.tsx";
import { Layout } from "../components/layout.tsx";
import { EMPTY_FORM, type FormState } from "../form-state.ts";
import { show } from "../show.ts";
import type { WebSession } from "../web-env.ts";
import { PRODUCT_LABELS } from "./dashboard-page.tsx";

export const RESTOCK_LABELS = { quantity: "Units delivered" } as const;

/** Which form of the page was refused: adding, or one product's edit or restock. */
export type ProductForms = {
  readonly add?: FormState;
  readonly edit?: { readonly productId: string; readonly form: FormState };
  readonly restock?: { readonly productId: string; readonly form: FormState };
};

export type ProductsPageProps = {
  readonly session: WebSession;
  readonly businesses: readonly Business[];
  readonly business: Business;
  readonly products: readonly Product[];
  readonly q: string;
  readonly archived: boolean;
  readonly canEdit: boolean;
  readonly olderHref: string | null;
  readonly notice: string | null;
  readonly forms: ProductForms;
};

const ProductRow: FC<ProductsPageProps & { readonly product: Product }> = (props) => {
  const { session, business, product, forms } = props;
  const edit = forms.edit?.productId === product.id ? forms.edit.form : null;
  const restock = forms.restock?.productId === product.id ? forms.restock.form : null;
  const prefix = `p-${product.id.slice(-12)}`;
  const hidden = (
    <>
      <CsrfField session={session} />
      <input type="hidden" name="business" value={business.id} />
    </>
  );
  return (
    <li data-product={product.id}>
      <span>
        <strong>{product.name}</strong> · {show.kes(product.price.value)}
        {product.sku === null ? "" : ` · SKU ${product.sku}`}
        {product.archived ? " · archived" : ""}
      </span>
      <span data-stock={String(product.stock)}>
        {product.stock.toLocaleString("en-US")} in stock
        {product.reserved > 0 ? ` (${product.reserved} held for pending sales)` : ""}
      </span>
      {!props.canEdit ? null : (
        <div class="actions full">
          <details open={restock !== null}>
            <summary>Restock</summary>
            {restock === null ? null : <FormAlert form={restock} />}
            <form method="post" action={`/products/${product.id}/restock`}>
              {hidden}
              <Field
                name="quantity"
                label={`${RESTOCK_LABELS.quantity} (${product.name})`}
                form={restock ?? EMPTY_FORM}
                idPrefix={`${prefix}-restock`}
                inputmode="numeric"
                help="Added to what is in stock; units held for pending sales stay held."
              />
              <button type="submit" data-busy="Adding…">
                Add to stock
              </button>
            </form>
          </details>
          <details open={edit !== null}>
            <summary>Edit</summary>
            {edit === null ? null : <FormAlert form={edit} />}
            <form method="post" action={`/products/${product.id}/edit`}>
              {hidden}
              <Field
                name="name"
                label={PRODUCT_LABELS.name}
                form={edit ?? EMPTY_FORM}
                idPrefix={`${prefix}-edit`}
                initial={product.name}
                maxlength={120}
              />
              <Field
                name="price"
                label={PRODUCT_LABELS.price}
                form={edit ?? EMPTY_FORM}
                idPrefix={`${prefix}-edit`}
                initial={String(product.price.value)}
                inputmode="numeric"
              />
              <Field
                name="sku"
                label={PRODUCT_LABELS.sku}
                form={edit ?? EMPTY_FORM}
                idPrefix={`${prefix}-edit`}
                initial={product.sku ?? ""}
                optional
                maxlength={64}
              />
              <button type="submit">Save</button>
            </form>
          </details>
          {product.archived ? null : (
            <form method="post" action={`/products/${product.id}/archive`}>
              {hidden}
              <button type="submit" class="secondary" aria-label={`Archive ${product.name}`}>
                Archive
              </button>
            </form>
          )}
        </div>
      )}
    </li>
  );
};

/** `/products`: every product, searched and paged; edit, restock, archive and add. */
export const ProductsPage: FC<ProductsPageProps> = (props) => {
  const { session, business, products, forms } = props;
  const add = forms.add ?? EMPTY_FORM;
  return (
    <Layout
      title="Products"
      session={session}
      businessId={business.id}
      section="products"
      switcher={{ businesses: props.businesses, current: business, action: "/products" }}
    >
      <h1>Products of {business.name}</h1>
      {props.notice === null ? null : (
        <p class="alert ok" role="status">
          {props.notice}
        </p>
      )}
      <form method="get" action="/products" class="filters card" aria-label="Find products">
        <input type="hidden" name="business" value={business.id} />
        <div class="field">
          <label for="products-q">Find</label>
          <input
            id="products-q"
            name="q"
            type="search"
            value={props.q}
            maxlength={120}
            placeholder="Name or SKU"
          />
        </div>
        <label class="choice shrink">
          <input type="checkbox" name="archived" value="true" checked={props.archived} /> Show archived
        </label>
        <button type="submit">Find</button>
      </form>
      <div class="grid">
        <section class="card wide" id="products" aria-label="Products">
          {products.length === 0 ? (
            <p class="muted">{props.q === "" ? "No products yet." : "No product matches."}</p>
          ) : (
            <ul class="rows">
              {products.map((product) => (
                <ProductRow {...props} product={product} />
              ))}
            </ul>
          )}
          {props.olderHref === null ? null : (
            <p>
              <a href={props.olderHref}>More products</a>
            </p>
          )}
        </section>
        {!props.canEdit ? null : (
          <section class="card" id="add-product" aria-labelledby="add-title">
            <h2 id="add-title">Add a product</h2>
            <FormAlert form={add} />
            <form method="post" action="/products">
              <CsrfField session={session} />
              <input type="hidden" name="business" value={business.id} />
              <Field name="name" label={PRODUCT_LABELS.name} form={add} idPrefix="add" maxlength={120} />
              <Field
                name="price"
                label={PRODUCT_LABELS.price}
                form={add}
                idPrefix="add"
                inputmode="numeric"
                help="In whole shillings (KES)."
              />
              <Field
                name="stock"
                label={PRODUCT_LABELS.stock}
                form={add}
                idPrefix="add"
                inputmode="numeric"
                help="How many you have to sell now."
              />
              <Field
                name="sku"
                label={PRODUCT_LABELS.sku}
                form={add}
                idPrefix="add"
                optional
                maxlength={64}
              />
              <button type="submit" data-busy="Adding…">
                Add product
              </button>
            </form>
          </section>
        )}
      </div>
    </Layout>
  );
};

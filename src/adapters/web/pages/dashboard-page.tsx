import type { FC } from "hono/jsx";
import type { ConfigWithVerification } from "../../../application/payment-configs/get-payment-config.ts";
import type { Wallet } from "../../../application/wallet/get-wallet.ts";
import type { Business } from "../../../domain/business.ts";
import type { C2bPayment } from "../../../domain/c2b-payment.ts";
import type { Product } from "../../../domain/product.ts";
import type { Sale } from "../../../domain/sale.ts";
import type { WalletPurchase } from "../../../domain/wallet-purchase.ts";
import { CsrfField } from "../components/csrf-field.tsx";
import { Field } from "../components/field.tsx";
import { FormAlert } from "../components/form-alert.tsx";
import { Layout } from "../components/layout.tsx";
import { PaymentPanel } from "../components/payment-panel.tsx";
import { RefundLink } from "../components/refund-panel.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { EMPTY_FORM, type FormState } from "../form-state.ts";
import { OncePerForm } from "../once-per-form.ts";
import { describePayment } from "../payment-status.ts";
import { show } from "../show.ts";
import type { PageAbilities } from "../web-access.tsx";
import type { WebSession } from "../web-env.ts";

export const BUY_LABELS = { phone: "Phone number", amount: "Amount" } as const;
export const PRODUCT_LABELS = { name: "Name", price: "Price", stock: "Stock", sku: "SKU" } as const;
export const CHARGE_LABELS = {
  phone: "Customer's phone",
  amount: "Amount",
  description: "What for",
} as const;

/** The field of a product's quantity in the charge form. */
export const quantityField = (productId: string) => `qty.${productId}`;

export type DashboardForms = {
  readonly buy?: FormState;
  readonly product?: FormState;
  readonly charge?: FormState;
};

export type DashboardPageProps = {
  readonly session: WebSession;
  readonly businesses: readonly Business[];
  readonly business: Business;
  readonly config: ConfigWithVerification | null;
  /** What the user's role lets them do here: the page offers nothing else (the server refuses it anyway). */
  readonly abilities: PageAbilities;
  readonly wallet: Wallet;
  readonly products: readonly Product[];
  /** More products match than the charge form lists: it says to search. */
  readonly productsMore: boolean;
  /** The charge form's product search (`?find=`), over every product of the business. */
  readonly find: string;
  readonly sales: readonly Sale[];
  /** Recent payments customers made from their own M-Pesa menu (C2B). */
  readonly c2bPayments: readonly C2bPayment[];
  /** The token purchase or sale just started (`?purchase=`, `?sale=`), shown with its live status. */
  readonly purchase: WalletPurchase | null;
  readonly sale: Sale | null;
  readonly forms: DashboardForms;
};

/** `/dashboard`: charge a customer, recent sales, products with their stock, and the token wallet. */
export const DashboardPage: FC<DashboardPageProps> = (props) => {
  const { session, business, config, purchase, sale, abilities } = props;
  const query = `?business=${encodeURIComponent(business.id)}`;
  const waiting =
    (purchase !== null && !describePayment(purchase, "purchase", purchase).final) ||
    (sale !== null && !describePayment(sale, "sale").final);
  return (
    <Layout
      title="Dashboard"
      session={session}
      businessId={business.id}
      refreshSeconds={waiting ? 4 : undefined}
      section="dashboard"
      switcher={{ businesses: props.businesses, current: business, action: "/dashboard" }}
    >
      <h1>{business.name}</h1>
      {abilities.role === null || abilities.role === "owner" ? null : (
        <p class="muted" data-role={abilities.role}>
          You are a {abilities.role} here.
        </p>
      )}
      {!abilities.configs ? null : config === null ? (
        <p class="alert info">
          Customers cannot pay you yet. <a href={`/setup/payment-method${query}`}>Add your Till or Paybill</a>
          : it takes two minutes.
        </p>
      ) : config.config.verified ? null : (
        <p class="alert info">
          Test your {config.config.method === "till" ? "Till" : "Paybill"} with a KES 1 payment before
          charging customers. <a href={`/setup/payment-method${query}#step-2`}>Test it now</a>
        </p>
      )}
      <div class="grid">
        {abilities.charge ? <ChargeSection {...props} /> : null}
        <SalesSection {...props} />
        <C2bSection {...props} />
        <ProductsSection {...props} />
        <WalletSection {...props} />
      </div>
    </Layout>
  );
};

const ChargeSection: FC<DashboardPageProps> = (props) => {
  const { session, business, products, sale, forms } = props;
  const form = forms.charge ?? EMPTY_FORM;
  const query = `?business=${encodeURIComponent(business.id)}`;
  return (
    <section class="card" id="charge">
      <h2>Charge a customer</h2>
      <form method="get" action="/dashboard#charge" class="filters" aria-label="Find products to charge">
        <input type="hidden" name="business" value={business.id} />
        <div class="field">
          <label for="charge-find">Find a product</label>
          <input
            id="charge-find"
            name="find"
            type="search"
            value={props.find}
            maxlength={120}
            placeholder="Name or SKU"
          />
        </div>
        <button type="submit" class="secondary">
          Find
        </button>
      </form>
      {sale === null ? null : (
        <PaymentPanel
          id="sale-status"
          title={`Sale of ${show.kes(sale.amount.value)}`}
          view={describePayment(sale, "sale")}
          pollUrl={`/dashboard/sales/${sale.id}/status`}
          checkAgainHref={`/dashboard${query}&sale=${sale.id}#charge`}
        />
      )}
      <FormAlert form={form} />
      <form method="post" action="/dashboard/charge">
        <CsrfField session={session} />
        <input type="hidden" name="business" value={business.id} />
        <input type="hidden" name={OncePerForm.FIELD} value={OncePerForm.newKey()} />
        <Field
          name="phone"
          label={CHARGE_LABELS.phone}
          form={form}
          idPrefix="charge"
          type="tel"
          inputmode="tel"
          placeholder="0712 345 678"
          help="They get an M-Pesa prompt on this phone and enter their PIN to pay."
        />
        {products.length === 0 ? null : (
          <fieldset>
            <legend class="legend">Items</legend>
            {props.productsMore ? (
              <p class="help">
                Showing the newest {products.length}: search above to find any other product.
              </p>
            ) : null}
            {products.map((product) => {
              const name = quantityField(product.id);
              const error = form.fieldErrors[name];
              return (
                <div class={error === undefined ? "item" : "item has-error"}>
                  <label for={`charge-${name}`}>
                    {product.name} · {show.kes(product.price.value)}
                    <br />
                    <span class="muted">{product.stock} in stock</span>
                    {error === undefined ? null : (
                      <span class="error" id={`charge-${name}-error`}>
                        <br />
                        {error}
                      </span>
                    )}
                  </label>
                  <input
                    id={`charge-${name}`}
                    class="qty"
                    type="number"
                    name={name}
                    min="0"
                    max={String(product.stock)}
                    step="1"
                    inputmode="numeric"
                    data-price={String(product.price.value)}
                    disabled={product.stock === 0 && form.values[name] === undefined}
                    value={form.values[name] ?? ""}
                    placeholder="0"
                    aria-label={`How many ${product.name}`}
                    aria-invalid={error === undefined ? undefined : "true"}
                    aria-describedby={error === undefined ? undefined : `charge-${name}-error`}
                  />
                </div>
              );
            })}
            <p class="item" aria-live="polite">
              <span>Total of the items</span>
              <output id="charge-total" data-running-total="">
                Worked out when you send
              </output>
            </p>
          </fieldset>
        )}
        <Field
          name="amount"
          label={CHARGE_LABELS.amount}
          form={form}
          idPrefix="charge"
          optional={products.length > 0}
          inputmode="numeric"
          help={
            products.length === 0
              ? "In whole shillings: M-Pesa has no cents."
              : "Only for something not listed above; with items, it must equal their total. Whole shillings."
          }
        />
        <Field
          name="description"
          label={CHARGE_LABELS.description}
          form={form}
          idPrefix="charge"
          optional
          maxlength={500}
          help="For your records; M-Pesa receives its first 13 characters."
        />
        <button type="submit" data-busy="Sending the prompt…">
          Send payment prompt
        </button>
      </form>
    </section>
  );
};

/** A pending sale on a paybill can be paid from the customer's own menu, with its reference as the account. */
const paybillInstructions = (config: ConfigWithVerification | null, sale: Sale): string | null =>
  config !== null && config.config.method === "paybill" && sale.status === "pending"
    ? `Or pay to paybill ${config.config.shortcode.value}, account ${sale.reference.value}`
    : null;

const SalesSection: FC<DashboardPageProps> = ({ sales, config, business, session }) => (
  <section class="card" id="sales">
    <h2>Recent sales</h2>
    <p>
      <a href={`/sales?business=${encodeURIComponent(business.id)}`}>All sales, totals and CSV</a>
    </p>
    {sales.length === 0 ? (
      <p class="muted">No sales yet.</p>
    ) : (
      <ul class="rows">
        {sales.map((sale) => {
          const what =
            sale.items.length > 0
              ? sale.items.map((item) => `${item.quantity} × ${item.name}`).join(", ")
              : (sale.description ?? "Payment");
          return (
            <li data-sale={sale.id}>
              <span>
                <a href={`/sales/${sale.id}?business=${encodeURIComponent(sale.businessId)}`}>
                  <strong>{show.kes(sale.amount.value)}</strong>
                </a>{" "}
                · {show.phone(sale.phone.value)}
              </span>
              <StatusBadge status={sale.status} attention={sale.needsAttention} />
              <span class="muted">
                Sale {sale.reference.value} · {what} · {show.time(sale.createdAt)}
                {sale.mpesaReceipt === null ? "" : ` · ${sale.mpesaReceipt}`}
              </span>
              {paybillInstructions(config, sale) === null ? null : (
                <span class="pay-instructions" data-pay-instructions={sale.reference.value}>
                  {paybillInstructions(config, sale)}
                </span>
              )}
              <RefundLink sale={sale} session={session} />
            </li>
          );
        })}
      </ul>
    )}
  </section>
);

/** Payments customers made from their own M-Pesa menu, beside the sales, marked as such. */
const C2bSection: FC<DashboardPageProps> = ({ c2bPayments }) => (
  <section class="card" id="c2b-payments">
    <h2>Paid from the customer's menu (C2B)</h2>
    {c2bPayments.length === 0 ? (
      <p class="muted">No C2B payments yet.</p>
    ) : (
      <ul class="rows">
        {c2bPayments.map((payment) => (
          <li data-c2b-payment={payment.id}>
            <span>
              <strong>{show.kes(payment.amount.value)}</strong> · {payment.payerName ?? payment.phone}
            </span>
            <StatusBadge status="paid" attention={payment.needsAttention} />
            <span class="muted">
              C2B · {payment.receipt}
              {payment.accountNumber === null ? "" : ` · account ${payment.accountNumber}`} ·{" "}
              {show.time(payment.paidAt)}
              {payment.matchedSaleId === null ? "" : " · paid a sale"}
              {payment.attentionReason === null ? "" : ` · ${payment.attentionReason}`}
            </span>
          </li>
        ))}
      </ul>
    )}
  </section>
);

const ProductsSection: FC<DashboardPageProps> = ({ session, business, products, forms, abilities }) => {
  const form = forms.product ?? EMPTY_FORM;
  return (
    <section class="card" id="products">
      <h2>Products</h2>
      {products.length === 0 ? (
        <p class="muted">No products yet. Add what you sell to charge by item and keep count of stock.</p>
      ) : (
        <ul class="rows">
          {products.map((product) => (
            <li data-product={product.id}>
              <span>
                <strong>{product.name}</strong> · {show.kes(product.price.value)}
              </span>
              <span data-stock={String(product.stock)}>
                {product.stock} in stock
                {product.reserved > 0 ? ` (${product.reserved} held for pending sales)` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
      {!abilities.products ? null : (
        <details
          open={form.formError !== null || Object.keys(form.fieldErrors).length > 0 || products.length === 0}
        >
          <summary>Add a product</summary>
          <FormAlert form={form} />
          <form method="post" action="/dashboard/products">
            <CsrfField session={session} />
            <input type="hidden" name="business" value={business.id} />
            <Field
              name="name"
              label={PRODUCT_LABELS.name}
              form={form}
              idPrefix="product"
              maxlength={120}
              placeholder="Sugar 1kg"
            />
            <Field
              name="price"
              label={PRODUCT_LABELS.price}
              form={form}
              idPrefix="product"
              inputmode="numeric"
              help="In whole shillings (KES)."
            />
            <Field
              name="stock"
              label={PRODUCT_LABELS.stock}
              form={form}
              idPrefix="product"
              inputmode="numeric"
              help="How many you have to sell now."
            />
            <Field
              name="sku"
              label={PRODUCT_LABELS.sku}
              form={form}
              idPrefix="product"
              optional
              maxlength={64}
              help="Your own code for it: letters, digits, dots, dashes or underscores."
            />
            <button type="submit" data-busy="Adding…">
              Add product
            </button>
          </form>
        </details>
      )}
    </section>
  );
};

const WalletSection: FC<DashboardPageProps> = ({ session, business, wallet, purchase, forms }) => {
  const form = forms.buy ?? EMPTY_FORM;
  const query = `?business=${encodeURIComponent(business.id)}`;
  return (
    <section class="card" id="wallet">
      <h2>Wallet</h2>
      <p class="balance" data-balance={String(wallet.balance)}>
        {wallet.balance.toLocaleString("en-US")} tokens
      </p>
      <p class="help">
        Tokens are PayMe credit, bought with M-Pesa on PayMe's own paybill, to pay for PayMe itself. They are
        yours, not your business's, and never mixed with your customers' money.
      </p>
      {wallet.transactions.items.length === 0 ? null : (
        <details>
          <summary>Wallet history</summary>
          <ul class="rows">
            {wallet.transactions.items.map((entry) => (
              <li data-ledger-entry={entry.id}>
                <span>+{entry.tokens.toLocaleString("en-US")} tokens</span>
                <span class="muted">Bought by M-Pesa · {show.time(entry.createdAt)}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {purchase === null ? null : (
        <PaymentPanel
          id="purchase-status"
          title={`Buying tokens for ${show.kes(purchase.amount.value)}`}
          view={describePayment(purchase, "purchase", purchase)}
          pollUrl={`/dashboard/purchases/${purchase.id}/status`}
          checkAgainHref={`/dashboard${query}&purchase=${purchase.id}#wallet`}
        />
      )}
      <FormAlert form={form} />
      <form method="post" action="/dashboard/wallet/buy">
        <CsrfField session={session} />
        <input type="hidden" name="business" value={business.id} />
        <input type="hidden" name={OncePerForm.FIELD} value={OncePerForm.newKey()} />
        <Field
          name="phone"
          label={BUY_LABELS.phone}
          form={form}
          idPrefix="buy"
          type="tel"
          inputmode="tel"
          placeholder="0712 345 678"
          initial={session.user.phone === null ? undefined : show.localPhone(session.user.phone.value)}
          help="The M-Pesa phone you pay from."
        />
        <Field
          name="amount"
          label={BUY_LABELS.amount}
          form={form}
          idPrefix="buy"
          inputmode="numeric"
          help="In whole shillings (KES), paid to PayMe's Paybill."
        />
        <button type="submit" data-busy="Sending the prompt…">
          Buy tokens
        </button>
      </form>
    </section>
  );
};

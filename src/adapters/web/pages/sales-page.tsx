import type { FC } from "hono/jsx";
import type { MoneyInPage } from "../../../application/sales/list-money-in.ts";
import type { Business } from "../../../domain/business.ts";
import { PAYMENT_STATUSES } from "../../../domain/stk-payment.ts";
import { Layout } from "../components/layout.tsx";
import { StatusBadge, statusLabel } from "../components/status-badge.tsx";
import { show } from "../show.ts";
import type { WebSession } from "../web-env.ts";

/** A date range a shopkeeper picks in one tap, as Nairobi days (`from` and `to` both included). */
export type Preset = { readonly name: string; readonly from: string; readonly to: string };

/** The history's filters as typed (strings, to fill the form back in). */
export type SalesFilterValues = {
  readonly from: string;
  readonly to: string;
  readonly status: string;
  readonly q: string;
};

export type SalesPageProps = {
  readonly session: WebSession;
  readonly businesses: readonly Business[];
  readonly business: Business;
  readonly values: SalesFilterValues;
  /** What is wrong with the filters, field by field; the list is not shown then. */
  readonly errors: Readonly<Record<string, string>>;
  readonly presets: readonly Preset[];
  readonly page: MoneyInPage | null;
  /** The query of the filters alone (with the business), for the export and the paging links. */
  readonly filterQuery: string;
  readonly olderHref: string | null;
  readonly firstPage: boolean;
};

const Totals: FC<{ readonly totals: MoneyInPage["totals"] }> = ({ totals }) => (
  <dl class="totals" aria-label="Totals of the filtered sales">
    <div>
      <dt>Sales</dt>
      <dd data-total="count">{totals.count.toLocaleString("en-US")}</dd>
    </div>
    <div>
      <dt>Paid</dt>
      <dd data-total="paid-count">{totals.paidCount.toLocaleString("en-US")}</dd>
    </div>
    <div>
      <dt>Money in</dt>
      <dd data-total="paid-amount">{show.kes(totals.paidAmount)}</dd>
    </div>
    <div>
      <dt>Refunded</dt>
      <dd data-total="refunded-amount">{show.kes(totals.refundedAmount)}</dd>
    </div>
  </dl>
);

/** `/sales`: every sale and C2B payment of the business, newest first, filtered, totalled, paged and exported. */
export const SalesPage: FC<SalesPageProps> = (props) => {
  const { session, business, values, errors, page } = props;
  const query = `?business=${encodeURIComponent(business.id)}`;
  const field = (
    name: keyof SalesFilterValues,
    label: string,
    type: string,
    extra: Record<string, string> = {},
  ) => {
    const error = errors[name];
    return (
      <div class={error === undefined ? "field" : "field has-error"}>
        <label for={`filter-${name}`}>{label}</label>
        {error === undefined ? null : (
          <p class="error" id={`filter-${name}-error`}>
            {error}
          </p>
        )}
        <input
          id={`filter-${name}`}
          name={name}
          type={type}
          value={values[name]}
          aria-invalid={error === undefined ? undefined : "true"}
          aria-describedby={error === undefined ? undefined : `filter-${name}-error`}
          {...extra}
        />
      </div>
    );
  };
  return (
    <Layout
      title="Sales"
      session={session}
      businessId={business.id}
      section="sales"
      switcher={{ businesses: props.businesses, current: business, action: "/sales" }}
    >
      <h1>Sales of {business.name}</h1>
      <ul class="presets" aria-label="Periods">
        {props.presets.map((preset) => (
          <li>
            <a
              href={`/sales${query}&from=${preset.from}&to=${preset.to}`}
              aria-current={preset.from === values.from && preset.to === values.to ? "true" : undefined}
            >
              {preset.name}
            </a>
          </li>
        ))}
        <li>
          <a
            href={`/sales${query}`}
            aria-current={values.from === "" && values.to === "" ? "true" : undefined}
          >
            All time
          </a>
        </li>
      </ul>
      <form method="get" action="/sales" class="filters card" aria-label="Filter sales">
        <input type="hidden" name="business" value={business.id} />
        {field("from", "From", "date")}
        {field("to", "To", "date")}
        <div class={errors.status === undefined ? "field" : "field has-error"}>
          <label for="filter-status">Status</label>
          <select id="filter-status" name="status">
            <option value="" selected={values.status === ""}>
              Any
            </option>
            {PAYMENT_STATUSES.map((status) => (
              <option value={status} selected={values.status === status}>
                {statusLabel(status)}
              </option>
            ))}
          </select>
        </div>
        {field("q", "Search", "search", { placeholder: "Phone, receipt or reference", maxlength: "64" })}
        <button type="submit">Show</button>
      </form>
      {page === null ? (
        <p class="alert error" role="alert">
          Check the filters above.
        </p>
      ) : (
        <>
          <Totals totals={page.totals} />
          <p>
            <a class="button secondary" href={`/sales/download${props.filterQuery}`} download="">
              Download CSV of these sales
            </a>
          </p>
          <section class="card" id="history" aria-label="Sales">
            {page.entries.length === 0 ? (
              <p class="muted">No sales match.</p>
            ) : (
              <ul class="rows">
                {page.entries.map((entry) =>
                  entry.kind === "sale" ? (
                    <li data-sale={entry.sale.id}>
                      <span>
                        <a href={`/sales/${entry.sale.id}${query}`}>
                          <strong>{show.kes(entry.sale.amount.value)}</strong>
                        </a>{" "}
                        · {show.phone(entry.sale.phone.value)}
                      </span>
                      <StatusBadge status={entry.sale.status} attention={entry.sale.needsAttention} />
                      <span class="muted">
                        Sale {entry.sale.reference.value} ·{" "}
                        {entry.sale.items.length > 0
                          ? entry.sale.items.map((item) => `${item.quantity} × ${item.name}`).join(", ")
                          : (entry.sale.description ?? "Payment")}{" "}
                        · {show.time(entry.sale.createdAt)}
                        {entry.sale.mpesaReceipt === null ? "" : ` · ${entry.sale.mpesaReceipt}`}
                      </span>
                    </li>
                  ) : (
                    <li data-c2b-payment={entry.payment.id}>
                      <span>
                        <strong>{show.kes(entry.payment.amount.value)}</strong> ·{" "}
                        {entry.payment.payerName ?? entry.payment.phone}
                      </span>
                      <StatusBadge status="paid" attention={entry.payment.needsAttention} />
                      <span class="muted">
                        Paid from the M-Pesa menu · {entry.payment.receipt}
                        {entry.payment.accountNumber === null
                          ? ""
                          : ` · account ${entry.payment.accountNumber}`}{" "}
                        · {show.time(entry.payment.paidAt)}
                      </span>
                    </li>
                  ),
                )}
              </ul>
            )}
          </section>
          <nav class="pager" aria-label="Pages">
            {props.firstPage ? <span /> : <a href={`/sales${props.filterQuery}`}>Newest</a>}
            {props.olderHref === null ? null : <a href={props.olderHref}>Older sales</a>}
          </nav>
        </>
      )}
    </Layout>
  );
};

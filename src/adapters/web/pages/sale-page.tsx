import type { Child, FC } from "hono/jsx";
import type { Business } from "../../../domain/business.ts";
import type { Sale } from "../../../domain/sale.ts";
import { CsrfField } from "../components/csrf-field.tsx";
import { FormAlert } from "../components/form-alert.tsx";
import { Layout } from "../components/layout.tsx";
import { PaymentPanel } from "../components/payment-panel.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import type { FormState } from "../form-state.ts";
import { OncePerForm } from "../once-per-form.ts";
import { describePayment } from "../payment-status.ts";
import { plainReason } from "../plain-reason.ts";
import { show } from "../show.ts";
import type { WebSession } from "../web-env.ts";

export type SalePageProps = {
  readonly session: WebSession;
  readonly business: Business;
  readonly sale: Sale;
  /** The paybill number, when the business charges on a paybill: a pending sale can be paid by its reference. */
  readonly paybill: string | null;
  /** The public receipt link of a paid sale (absolute). */
  readonly receiptUrl: string | null;
  /** Whether the user may charge customers (and so charge again). */
  readonly canCharge: boolean;
  /** The "charge again" form after a refusal. */
  readonly chargeAgain?: FormState | undefined;
  /** Where the refund form goes (the refunds feature fills it); nothing shows when empty. */
  readonly refundSlot?: Child;
};

/** A sale that ended without money moving: it may be charged again, as a new sale. */
export const mayChargeAgain = (sale: Sale): boolean =>
  sale.status === "failed" || sale.status === "cancelled";

const Moment: FC<{ readonly at: Date | null; readonly children?: Child }> = ({ at, children }) => (
  <li>
    {at === null ? null : <time datetime={at.toISOString()}>{show.time(at)}</time>}
    {children}
  </li>
);

/** What happened to the sale, in order. */
const Timeline: FC<{ readonly sale: Sale }> = ({ sale }) => (
  <ol class="timeline" aria-label="What happened">
    <Moment at={sale.createdAt}>Sale created for {show.kes(sale.amount.value)}.</Moment>
    {sale.checkoutRequestId === null ? (
      sale.status === "failed" ? null : (
        <Moment at={null}>M-Pesa has not confirmed the prompt yet; it may still arrive.</Moment>
      )
    ) : (
      <Moment at={null}>M-Pesa prompt sent to {show.phone(sale.phone.value)}.</Moment>
    )}
    {sale.status === "paid" ? (
      <Moment at={sale.completedAt}>
        Paid{sale.mpesaReceipt === null ? "" : `, M-Pesa receipt ${sale.mpesaReceipt}`}.
      </Moment>
    ) : null}
    {sale.status === "failed" || sale.status === "cancelled" ? (
      <Moment at={sale.completedAt}>
        {sale.status === "cancelled" ? "Cancelled" : "Not paid"}:{" "}
        {plainReason(sale.resultCode, sale.failureReason)}
      </Moment>
    ) : null}
    {sale.status === "expired" ? (
      <Moment at={sale.completedAt}>
        No answer from M-Pesa in time. If the customer did pay, it will still show here.
      </Moment>
    ) : null}
    {sale.refundedAmount > 0 ? <Moment at={null}>Refunded {show.kes(sale.refundedAmount)}.</Moment> : null}
    {sale.needsAttention ? (
      <Moment at={null}>
        Needs a person to look at it: {sale.attentionReason ?? "M-Pesa's answer did not match the sale"}.
      </Moment>
    ) : null}
  </ol>
);

/** `/sales/:id`: one sale, its items, what happened, its receipt, and what can be done next. */
export const SalePage: FC<SalePageProps> = (props) => {
  const { session, business, sale } = props;
  const query = `?business=${encodeURIComponent(business.id)}`;
  const view = describePayment(sale, "sale");
  const receiptText =
    props.receiptUrl === null
      ? null
      : `Receipt from ${business.name}: ${show.kes(sale.amount.value)}, M-Pesa ${sale.mpesaReceipt ?? ""}. ${props.receiptUrl}`;
  return (
    <Layout
      title={`Sale ${sale.reference.value}`}
      session={session}
      businessId={business.id}
      section="sales"
      refreshSeconds={view.final ? undefined : 4}
    >
      <p class="no-print">
        <a href={`/sales${query}`}>← All sales</a>
      </p>
      <h1>
        Sale {sale.reference.value} · {show.kes(sale.amount.value)}
      </h1>
      <p>
        <StatusBadge status={sale.status} attention={sale.needsAttention} />
      </p>
      {view.final ? null : (
        <PaymentPanel
          id="sale-status"
          title="Waiting for M-Pesa"
          view={view}
          pollUrl={`/dashboard/sales/${sale.id}/status`}
          checkAgainHref={`/sales/${sale.id}${query}`}
        />
      )}
      <div class="grid">
        <section class="card" aria-labelledby="details-title">
          <h2 id="details-title">Details</h2>
          <dl class="summary">
            <div>
              <dt>Reference</dt>
              <dd data-reference={sale.reference.value}>{sale.reference.value}</dd>
            </div>
            <div>
              <dt>Customer's phone</dt>
              <dd>{show.phone(sale.phone.value)}</dd>
            </div>
            <div>
              <dt>M-Pesa receipt</dt>
              <dd data-receipt={sale.mpesaReceipt ?? ""}>{sale.mpesaReceipt ?? "None yet"}</dd>
            </div>
            {sale.description === null ? null : (
              <div>
                <dt>What for</dt>
                <dd>{sale.description}</dd>
              </div>
            )}
          </dl>
          {sale.items.length === 0 ? null : (
            <>
              <h3>Items</h3>
              <ul class="rows">
                {sale.items.map((item) => (
                  <li>
                    <span>
                      {item.quantity} × {item.name}
                    </span>
                    <span>{show.kes(item.quantity * item.unitPrice.value)}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        <section class="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title">Timeline</h2>
          <Timeline sale={sale} />
          {props.paybill !== null && sale.status === "pending" ? (
            <div class="alert info" data-pay-instructions={sale.reference.value}>
              <strong>Pay by paybill reference</strong>
              <ol>
                <li>On the phone, open M-Pesa, then Lipa na M-Pesa, then Pay Bill.</li>
                <li>
                  Business number: <strong>{props.paybill}</strong>
                </li>
                <li>
                  Account number: <strong>{sale.reference.value}</strong>
                </li>
                <li>
                  Amount: <strong>{show.kes(sale.amount.value)}</strong>, then the M-Pesa PIN.
                </li>
              </ol>
              <p class="muted">The sale shows as paid here as soon as M-Pesa tells PayMe.</p>
            </div>
          ) : null}
          {props.canCharge && mayChargeAgain(sale) ? (
            <div id="charge-again">
              {props.chargeAgain === undefined ? null : <FormAlert form={props.chargeAgain} />}
              <p class="muted">Nothing was paid. Charging again sends a new prompt for the same items.</p>
              <form method="post" action={`/sales/${sale.id}/charge-again`}>
                <CsrfField session={session} />
                <input type="hidden" name="business" value={business.id} />
                <input type="hidden" name={OncePerForm.FIELD} value={OncePerForm.newKey()} />
                <button type="submit" data-busy="Sending the prompt…">
                  Charge again
                </button>
              </form>
            </div>
          ) : null}
          <div class="slot" id="refund-slot">
            {props.refundSlot}
          </div>
        </section>
        {props.receiptUrl === null || receiptText === null ? null : (
          <section class="card wide" aria-labelledby="receipt-title">
            <h2 id="receipt-title">Receipt for the customer</h2>
            <p class="muted">
              Anyone with this link sees this receipt, and nothing else. No sign-in is needed.
            </p>
            <p>
              <a href={props.receiptUrl} data-receipt-link="">
                {props.receiptUrl}
              </a>
            </p>
            <p class="actions">
              <a
                class="button"
                href={`https://wa.me/?text=${encodeURIComponent(receiptText)}`}
                rel="noopener"
              >
                Share on WhatsApp
              </a>
              <a class="button secondary" href={props.receiptUrl}>
                Open to print
              </a>
            </p>
          </section>
        )}
      </div>
    </Layout>
  );
};

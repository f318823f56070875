import type { FC } from "hono/jsx";
import { may } from "../../../application/shared/authorize.ts";
import type { Refund } from "../../../domain/refund.ts";
import type { Sale } from "../../../domain/sale.ts";
import type { FormState } from "../form-state.ts";
import { OncePerForm } from "../once-per-form.ts";
import { show } from "../show.ts";
import type { WebSession } from "../web-env.ts";
import { CsrfField } from "./csrf-field.tsx";
import { Field } from "./field.tsx";
import { FormAlert } from "./form-alert.tsx";

export const REFUND_LABELS = { amount: "Amount", reason: "Reason", restock: "Restock" } as const;

const STATUS_TEXT: Record<Refund["status"], string> = {
  pending: "Waiting for M-Pesa",
  completed: "Refunded",
  failed: "Failed",
};

/** One refund's line: how much, how, and where it stands (with M-Pesa's reason when it failed). */
const RefundLine: FC<{ readonly refund: Refund }> = ({ refund }) => (
  <li data-refund={refund.id} data-status={refund.status}>
    <span>
      <strong>{show.kes(refund.amount.value)}</strong> ·{" "}
      {refund.method === "reversal" ? "full reversal" : "sent back by B2C"}
    </span>
    <span class={`badge ${refund.status === "completed" ? "paid" : refund.status}`}>
      {STATUS_TEXT[refund.status]}
    </span>
    <span class="muted">
      {show.time(refund.createdAt)}
      {refund.mpesaReceipt === null ? "" : ` · ${refund.mpesaReceipt}`}
      {refund.reason === null ? "" : ` · ${refund.reason}`}
      {refund.failureReason === null ? "" : ` · ${refund.failureReason}`}
      {refund.attentionReason === null ? "" : ` · needs attention: ${refund.attentionReason}`}
    </span>
  </li>
);

/** A paid sale's way to its refunds: "Refund" for whoever may refund, with what was refunded so far. */
export const RefundLink: FC<{ readonly sale: Sale; readonly session: WebSession }> = ({ sale, session }) =>
  sale.status !== "paid" ? null : (
    <a class="refund-link" href={`/dashboard/sales/${sale.id}/refund#refunds`} data-refund-link={sale.id}>
      {may(session.actor, "refunds:write", sale.businessId) ? "Refund" : "Refunds"}
      {sale.refundedAmount > 0 ? ` (refunded ${show.kes(sale.refundedAmount)})` : ""}
    </a>
  );

/**
 * A paid sale's refunds and the "Refund" form: the whole sale (a reversal, items back in stock) when the amount
 * is left empty, or part of it (by B2C, at least KES 10). Server-rendered: a pending refund's page reloads
 * itself until M-Pesa answers.
 */
export const RefundPanel: FC<{
  readonly sale: Sale;
  readonly refunds: readonly Refund[];
  readonly form: FormState;
  readonly session: WebSession;
  readonly mayRefund: boolean;
}> = ({ sale, refunds, form, session, mayRefund }) => {
  const held = refunds.filter((r) => r.holdsAmount).reduce((sum, r) => sum + r.amount.value, 0);
  const left = sale.amount.value - held;
  return (
    <section class="card" id="refunds">
      <h2>Refunds</h2>
      <p>
        Sale {sale.reference.value} of {show.kes(sale.amount.value)}
        {sale.mpesaReceipt === null ? "" : ` · receipt ${sale.mpesaReceipt}`} · refunded{" "}
        {show.kes(sale.refundedAmount)}
      </p>
      {refunds.length === 0 ? (
        <p class="muted">No refunds yet.</p>
      ) : (
        <ul class="list">
          {refunds.map((refund) => (
            <RefundLine refund={refund} />
          ))}
        </ul>
      )}
      {!mayRefund ? (
        <p class="muted">Only an owner or a manager can refund a sale.</p>
      ) : sale.status !== "paid" ? (
        <p class="muted">Only a paid sale can be refunded.</p>
      ) : left <= 0 ? (
        <p class="muted">Nothing is left to refund.</p>
      ) : (
        <form method="post" action={`/dashboard/sales/${sale.id}/refund`} novalidate>
          <CsrfField session={session} />
          <input type="hidden" name={OncePerForm.FIELD} value={OncePerForm.newKey()} />
          <input type="hidden" name="business" value={sale.businessId} />
          <FormAlert form={form} />
          <Field
            name="amount"
            label="Amount (KES)"
            form={form}
            type="text"
            inputmode="numeric"
            optional
            idPrefix="refund"
            help={`Leave empty to refund everything left (${show.kes(left)}). The whole sale is reversed; less is sent back to the customer's phone, at least KES 10.`}
          />
          <Field name="reason" label="Reason" form={form} optional idPrefix="refund" maxlength={200} />
          <div class="field">
            <label>
              <input type="checkbox" name="restock" value="true" checked={form.values.restock !== "false"} />{" "}
              Put the items back in stock (a full refund only)
            </label>
          </div>
          <button type="submit">Refund</button>
        </form>
      )}
    </section>
  );
};

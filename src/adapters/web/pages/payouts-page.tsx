import type { Child, FC } from "hono/jsx";
import type { Business } from "../../../domain/business.ts";
import type { Payout } from "../../../domain/payout.ts";
import type { PayoutConfig } from "../../../domain/payout-config.ts";
import { CsrfField } from "../components/csrf-field.tsx";
import { Field } from "../components/field.tsx";
import { FormAlert } from "../components/form-alert.tsx";
import { Layout } from "../components/layout.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { EMPTY_FORM, type FormState } from "../form-state.ts";
import { OncePerForm } from "../once-per-form.ts";
import { show } from "../show.ts";
import type { WebSession } from "../web-env.ts";

export const PAYOUT_LABELS = { phone: "Recipient's phone", amount: "Amount", remarks: "Reason" } as const;

/** A payout checked and waiting for the owner's "Send": the amount and the recipient, as they will go. */
export type PayoutToConfirm = { readonly phone: string; readonly amount: number; readonly remarks: string };

export type PayoutsPageProps = {
  readonly session: WebSession;
  readonly businesses: readonly Business[];
  readonly business: Business;
  /** Null: no payout config yet. */
  readonly config: PayoutConfig | null;
  /** Whether the user may send payouts (owners), beside reading them. */
  readonly canSend: boolean;
  readonly payouts: readonly Payout[];
  readonly olderHref: string | null;
  readonly form?: FormState | undefined;
  readonly confirm?: PayoutToConfirm | undefined;
  /** The payout just sent (`?payout=`), named at the top. */
  readonly sent?: Payout | null;
  /** Where the balance look-up goes (the balance feature fills it); nothing shows when empty. */
  readonly balanceSlot?: Child;
};

const SendForm: FC<PayoutsPageProps> = ({ session, business, form }) => {
  const state = form ?? EMPTY_FORM;
  return (
    <form method="post" action="/payouts/confirm">
      <CsrfField session={session} />
      <input type="hidden" name="business" value={business.id} />
      <FormAlert form={state} />
      <Field
        name="phone"
        label={PAYOUT_LABELS.phone}
        form={state}
        idPrefix="payout"
        type="tel"
        inputmode="tel"
        placeholder="0712 345 678"
        help="The M-Pesa phone the money goes to."
      />
      <Field
        name="amount"
        label={PAYOUT_LABELS.amount}
        form={state}
        idPrefix="payout"
        inputmode="numeric"
        help="Whole shillings, KES 10 to 250,000, within your limits."
      />
      <Field
        name="remarks"
        label={PAYOUT_LABELS.remarks}
        form={state}
        idPrefix="payout"
        optional
        maxlength={100}
        help="Shown in M-Pesa's records, e.g. Salary November."
      />
      <button type="submit">Check the payout</button>
    </form>
  );
};

/** The confirmation step: nothing is sent until the owner presses Send on exactly this amount and phone. */
const ConfirmStep: FC<PayoutsPageProps & { readonly confirm: PayoutToConfirm }> = ({
  session,
  business,
  confirm,
}) => (
  <div class="alert info" id="confirm-payout" role="alert">
    <p>
      Send <strong data-confirm-amount={String(confirm.amount)}>{show.kes(confirm.amount)}</strong> to{" "}
      <strong data-confirm-phone={confirm.phone}>{show.phone(confirm.phone)}</strong>
      {confirm.remarks === "" ? "" : ` for "${confirm.remarks}"`}? M-Pesa cannot undo it.
    </p>
    <div class="actions">
      <form method="post" action="/payouts/send">
        <CsrfField session={session} />
        <input type="hidden" name="business" value={business.id} />
        <input type="hidden" name={OncePerForm.FIELD} value={OncePerForm.newKey()} />
        <input type="hidden" name="phone" value={confirm.phone} />
        <input type="hidden" name="amount" value={String(confirm.amount)} />
        <input type="hidden" name="remarks" value={confirm.remarks} />
        <button type="submit" data-busy="Sending…">
          Send {show.kes(confirm.amount)}
        </button>
      </form>
      <a class="button secondary" href={`/payouts?business=${encodeURIComponent(business.id)}`}>
        Cancel
      </a>
    </div>
  </div>
);

/** `/payouts`: the payout config and its limits, sending money with a confirmation step, and the history. */
export const PayoutsPage: FC<PayoutsPageProps> = (props) => {
  const { session, business, config, payouts } = props;
  const query = `?business=${encodeURIComponent(business.id)}`;
  return (
    <Layout
      title="Payouts"
      session={session}
      businessId={business.id}
      section="payouts"
      switcher={{ businesses: props.businesses, current: business, action: "/payouts" }}
    >
      <h1>Payouts of {business.name}</h1>
      {props.sent === undefined || props.sent === null ? null : (
        <p class="alert ok" role="status" data-sent-payout={props.sent.id}>
          Payout of {show.kes(props.sent.amount.value)} to {show.phone(props.sent.phone.value)}:{" "}
          <StatusBadge status={props.sent.status} />. It updates below once M-Pesa answers.
        </p>
      )}
      <div class="grid">
        <section class="card" aria-labelledby="config-title">
          <h2 id="config-title">Payout account</h2>
          {config === null ? (
            <p>
              No payout account yet: payouts need a B2C shortcode and its initiator.{" "}
              {props.canSend ? (
                <a href="/docs">Set it up through the API (see the docs)</a>
              ) : (
                "Ask an owner to set it up."
              )}
            </p>
          ) : (
            <dl class="summary">
              <div>
                <dt>Shortcode</dt>
                <dd>{config.shortcode.value}</dd>
              </div>
              <div>
                <dt>Status</dt>
                <dd data-payout-config="active">{config.active ? "Ready to send" : "Inactive"}</dd>
              </div>
              <div>
                <dt>Limit per payout</dt>
                <dd data-limit="per-payout">{show.kes(config.limits.perPayout)}</dd>
              </div>
              <div>
                <dt>Limit per day</dt>
                <dd data-limit="daily">{show.kes(config.limits.daily)}</dd>
              </div>
            </dl>
          )}
          <div class="slot" id="balance-slot">
            {props.balanceSlot}
          </div>
        </section>
        {config === null || !props.canSend ? null : (
          <section class="card" id="send" aria-labelledby="send-title">
            <h2 id="send-title">Send money</h2>
            {props.confirm === undefined ? (
              <SendForm {...props} />
            ) : (
              <ConfirmStep {...props} confirm={props.confirm} />
            )}
          </section>
        )}
        <section class="card wide" id="history" aria-labelledby="history-title">
          <h2 id="history-title">History</h2>
          {payouts.length === 0 ? (
            <p class="muted">No payouts yet.</p>
          ) : (
            <ul class="rows">
              {payouts.map((payout) => (
                <li data-payout={payout.id}>
                  <span>
                    <strong>{show.kes(payout.amount.value)}</strong> · {show.phone(payout.phone.value)}
                    {payout.recipientName === null ? "" : ` · ${payout.recipientName}`}
                  </span>
                  <StatusBadge status={payout.status} attention={payout.needsAttention} />
                  <span class="muted">
                    {payout.remarks} · {show.time(payout.createdAt)}
                    {payout.mpesaReceipt === null ? "" : ` · ${payout.mpesaReceipt}`}
                    {payout.status === "failed"
                      ? ` · ${payout.failureReason ?? "M-Pesa did not send it"}`
                      : ""}
                    {payout.status === "pending" && payout.queueTimedOutAt !== null
                      ? " · M-Pesa's queue timed out; PayMe is asking M-Pesa what happened"
                      : ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {props.olderHref === null ? null : (
            <p>
              <a href={props.olderHref}>Older payouts</a>
            </p>
          )}
          <p class="muted">
            <a href={`/payouts${query}`}>Refresh</a>
          </p>
        </section>
      </div>
    </Layout>
  );
};

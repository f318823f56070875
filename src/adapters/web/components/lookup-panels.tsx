import type { FC } from "hono/jsx";
import type { BalanceQuery, StatusQuery } from "../../../domain/lookup-query.ts";

const when = (at: Date) =>
  new Date(at.getTime() + 3 * 3600_000).toISOString().replace("T", " ").slice(0, 16).concat(" EAT");

/** What came of a look-up the page asked: the query, a refusal's message, or nothing asked yet. */
export type Asked<Q> =
  | { readonly kind: "none" }
  | { readonly kind: "query"; readonly query: Q }
  | { readonly kind: "problem"; readonly message: string };

/**
 * The till's M-Pesa balance: a button that asks Daraja (a plain GET form, no script needed), then each account's
 * figures as M-Pesa gave them, the reason when it failed, or a link to look again while M-Pesa has not answered.
 */
export const BalancePanel: FC<{
  readonly businessId: string;
  readonly action: string;
  readonly asked: Asked<BalanceQuery>;
}> = ({ businessId, action, asked }) => (
  <section class="card" id="balance">
    <h2>Till balance</h2>
    {asked.kind === "problem" ? <p class="alert error">{asked.message}</p> : null}
    {asked.kind === "query" && asked.query.status === "failed" ? (
      <p class="alert error">M-Pesa could not give the balance: {asked.query.failureReason}</p>
    ) : null}
    {asked.kind === "query" && asked.query.status === "pending" ? (
      <p class="alert info">
        M-Pesa has not answered yet.{" "}
        <a
          href={`${action}?business=${encodeURIComponent(businessId)}&balanceQuery=${asked.query.id}#balance`}
        >
          Look again
        </a>
      </p>
    ) : null}
    {asked.kind === "query" && asked.query.balance !== null ? (
      <>
        <p>
          Shortcode {asked.query.balance.shortcode}, as M-Pesa gave it at {when(asked.query.balance.at)}.
        </p>
        <table>
          <thead>
            <tr>
              <th>Account</th>
              <th>Available</th>
              <th>Reserved</th>
              <th>Uncleared</th>
              <th>Total</th>
            </tr>
          </thead>
          <tbody>
            {asked.query.balance.accounts.map((account) => (
              <tr>
                <td>{account.name}</td>
                <td>
                  {account.currency} {account.available}
                </td>
                <td>{account.reserved}</td>
                <td>{account.uncleared}</td>
                <td>{account.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    ) : null}
    <form method="get" action={`${action}#balance`}>
      <input type="hidden" name="business" value={businessId} />
      <input type="hidden" name="check" value="balance" />
      <button type="submit">{asked.kind === "none" ? "Check the balance" : "Check again"}</button>
    </form>
  </section>
);

/** A box to look a receipt up with M-Pesa's Transaction Status, and what M-Pesa said about it. */
export const ReceiptLookup: FC<{
  readonly businessId: string;
  readonly action: string;
  readonly receipt: string;
  readonly asked: Asked<StatusQuery>;
}> = ({ businessId, action, receipt, asked }) => (
  <section class="card" id="lookup">
    <h2>Look up a receipt</h2>
    <form method="get" action={`${action}#lookup`} class="field">
      <input type="hidden" name="business" value={businessId} />
      <label for="receipt">M-Pesa receipt</label>
      <input
        id="receipt"
        name="receipt"
        value={receipt}
        required
        maxlength={20}
        pattern="[A-Za-z0-9]{8,20}"
        placeholder="SBK4QUB1VA"
        autocomplete="off"
      />
      <button type="submit">Look up</button>
    </form>
    {asked.kind === "problem" ? <p class="alert error">{asked.message}</p> : null}
    {asked.kind === "query" && asked.query.status === "failed" ? (
      <p class="alert error">
        M-Pesa could not look {asked.query.receipt} up: {asked.query.failureReason}
      </p>
    ) : null}
    {asked.kind === "query" && asked.query.status === "pending" ? (
      <p class="alert info">
        M-Pesa has not answered yet.{" "}
        <a href={`${action}?business=${encodeURIComponent(businessId)}&statusQuery=${asked.query.id}#lookup`}>
          Look again
        </a>
      </p>
    ) : null}
    {asked.kind === "query" && asked.query.transaction !== null ? (
      <dl>
        <dt>Receipt</dt>
        <dd>{asked.query.transaction.receipt}</dd>
        <dt>Status</dt>
        <dd>{asked.query.transaction.status}</dd>
        <dt>Amount</dt>
        <dd>{asked.query.transaction.amount === null ? "—" : `KES ${asked.query.transaction.amount}`}</dd>
        <dt>From</dt>
        <dd>{asked.query.transaction.debitParty ?? "—"}</dd>
        <dt>To</dt>
        <dd>{asked.query.transaction.creditParty ?? "—"}</dd>
        <dt>Completed</dt>
        <dd>
          {asked.query.transaction.completedAt === null ? "—" : when(asked.query.transaction.completedAt)}
        </dd>
        {asked.query.transaction.reasonType === null ? null : (
          <>
            <dt>Type</dt>
            <dd>{asked.query.transaction.reasonType}</dd>
          </>
        )}
      </dl>
    ) : null}
  </section>
);

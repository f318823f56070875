import type { FC } from "hono/jsx";
import type { PayoutStatus } from "../../../domain/payout.ts";
import type { PaymentStatus } from "../../../domain/stk-payment.ts";

/** Every status a list shows: a payment's (sales, C2B payments) or a payout's. */
export type ShownStatus = PaymentStatus | PayoutStatus;

const LABELS: Readonly<Record<ShownStatus, string>> = {
  pending: "Waiting",
  paid: "Paid",
  completed: "Sent",
  cancelled: "Cancelled",
  failed: "Failed",
  expired: "No answer",
};

/** The word a status is shown by, everywhere. */
export const statusLabel = (status: ShownStatus): string => LABELS[status];

/**
 * A status as every list shows it: one word on a coloured pill (the word carries the meaning, the colour only
 * repeats it), and a second pill when a person needs to look at it.
 */
export const StatusBadge: FC<{ readonly status: ShownStatus; readonly attention?: boolean }> = ({
  status,
  attention,
}) => (
  <span class="badges">
    <span class={`badge ${status}`} data-status={status}>
      {LABELS[status]}
    </span>
    {attention === true ? (
      <>
        {" "}
        <span class="badge attention">Check</span>
      </>
    ) : null}
  </span>
);

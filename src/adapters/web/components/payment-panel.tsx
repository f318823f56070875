import type { FC } from "hono/jsx";
import type { PaymentView } from "../payment-status.ts";

/**
 * One payment's live status. While it is pending, the page script asks `pollUrl` and rewrites the sentence;
 * without script, "Check again" reloads the page (and the page refreshes itself).
 */
export const PaymentPanel: FC<{
  readonly id: string;
  readonly title: string;
  readonly view: PaymentView;
  readonly pollUrl: string;
  readonly checkAgainHref: string;
}> = ({ id, title, view, pollUrl, checkAgainHref }) => (
  <div
    class="status"
    id={id}
    role="status"
    aria-live="polite"
    data-status={view.status}
    data-poll={view.final ? undefined : pollUrl}
  >
    <strong>{title}</strong>
    <span data-status-text="">{view.label}</span>
    {view.final ? null : (
      <>
        {" "}
        <a href={checkAgainHref}>Check again</a>
      </>
    )}
  </div>
);

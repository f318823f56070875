/**
 * What happened to a payout on PayMe's side, beside the callbacks (which the callback audit keeps):
 * - `requested`: who asked, for what, through which shortcode and initiator;
 * - `sent`: Daraja accepted the B2C request and named its ConversationID;
 * - `refused`: Daraja refused it at once (the payout failed; nothing was sent on);
 * - `outcome_unknown`: Daraja's answer was lost, or did not say whether it took the request; the payout stays
 *   pending until a result or a query settles it;
 * - `duplicate`: Daraja already had a request with this payout's OriginatorConversationID, so an earlier one was
 *   accepted; the payout stays pending until a result or a query settles it;
 * - `status_query_sent` / `status_query_refused`: a Transaction Status query about it, and Daraja's answer.
 */
export type PayoutEventType =
  | "requested"
  | "sent"
  | "refused"
  | "outcome_unknown"
  | "duplicate"
  | "status_query_sent"
  | "status_query_refused";

export const PAYOUT_EVENT_TYPES: readonly PayoutEventType[] = [
  "requested",
  "sent",
  "refused",
  "outcome_unknown",
  "duplicate",
  "status_query_sent",
  "status_query_refused",
];

/** One entry of a payout's story. `detail` never holds a secret (a password, a token, a consumer secret). */
export type PayoutEvent = {
  readonly id: string;
  readonly payoutId: string;
  readonly at: Date;
  readonly type: PayoutEventType;
  readonly detail: Readonly<Record<string, string | number | null>>;
};

/** The append-only journal of payouts. */
export interface PayoutEventRepository {
  append(event: PayoutEvent): Promise<void>;
  /** A payout's events, oldest first. */
  listByPayout(payoutId: string): Promise<PayoutEvent[]>;
}

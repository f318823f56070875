/** What PayMe tells others happened to a business's resources. */
export type OutboxEventType =
  | "sale.paid"
  | "sale.failed"
  | "sale.cancelled"
  | "sale.expired"
  | "sale.needs_attention"
  | "payout.completed"
  | "payout.failed"
  | "payment_config.verified"
  | "c2b.payment_received";

/** One event: `data.object` is the resource as the API shows it at that moment. */
export type OutboxEvent = {
  readonly id: string;
  readonly type: OutboxEventType;
  readonly createdAt: Date;
  readonly businessId: string;
  readonly data: { readonly object: unknown };
};

/**
 * The outbox: events written in the same transaction as the change they tell of, so that one is recorded exactly
 * when the change commits. Whoever reacts (webhooks, metrics) reads from here.
 */
export interface OutboxRepository {
  append(event: OutboxEvent): Promise<void>;
  /** A business's events, oldest first (by creation time, then id), at most `limit`. */
  listForBusiness(businessId: string, options?: { readonly limit?: number }): Promise<OutboxEvent[]>;
}

/** Where one event stands with one endpoint. */
export type DeliveryStatus = "pending" | "delivered" | "failed";

/** One event to one endpoint: retried on the schedule until delivered or the schedule is spent. */
export type WebhookDelivery = {
  readonly id: string;
  readonly eventId: string;
  readonly endpointId: string;
  readonly businessId: string;
  readonly status: DeliveryStatus;
  /** Attempts made so far (every one, across redeliveries). */
  readonly attempts: number;
  /** Retries since the delivery (re)started: where it is in the retry schedule. */
  readonly scheduleStep: number;
  readonly nextAttemptAt: Date;
  readonly createdAt: Date;
};

/** What one attempt got: a 2xx (delivered), or anything else (a status, a timeout, a refused address …). */
export type DeliveryAttempt = {
  readonly id: string;
  readonly deliveryId: string;
  readonly eventId: string;
  readonly endpointId: string;
  readonly attempt: number;
  readonly status: "delivered" | "failed";
  readonly responseStatus: number | null;
  readonly durationMs: number | null;
  readonly error: string | null;
  readonly at: Date;
};

/**
 * Webhook deliveries and their attempts. Claims are leases: a claimed delivery is invisible to other claims until
 * its lease ends, so an instance that dies mid-attempt leaves it to another once the lease runs out.
 */
export interface WebhookDeliveryRepository {
  /** Adds deliveries; one already there for the same event and endpoint is left as it is. */
  addAll(deliveries: readonly WebhookDelivery[]): Promise<void>;
  /**
   * Up to `limit` pending deliveries due at `now` and not leased, leased until `leaseUntil`; rows another
   * transaction holds are skipped (SKIP LOCKED).
   */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<WebhookDelivery[]>;
  findById(id: string): Promise<WebhookDelivery | null>;
  findByEventAndEndpoint(eventId: string, endpointId: string): Promise<WebhookDelivery | null>;
  /** Writes the delivery back and ends its lease. */
  update(delivery: WebhookDelivery): Promise<void>;
  /** Ends a lease without an attempt: the delivery is due again at once, its attempts unchanged. */
  release(id: string): Promise<void>;
  recordAttempt(attempt: DeliveryAttempt): Promise<void>;
  listForEvent(eventId: string): Promise<WebhookDelivery[]>;
  /** An event's attempts, oldest first. */
  attemptsForEvent(eventId: string): Promise<DeliveryAttempt[]>;
  /** Each endpoint's latest attempt (its health), for the endpoints named. */
  lastAttempts(endpointIds: readonly string[]): Promise<Map<string, DeliveryAttempt>>;
}

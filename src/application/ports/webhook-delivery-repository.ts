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
  /**
   * The queue's job that makes the next attempt (due at `nextAttemptAt`); any other job for this delivery is
   * stale. Null when no job was sent for it.
   */
  readonly jobId: string | null;
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
 * Webhook deliveries and their attempts: the truth about each delivery, which the API shows. When an attempt is
 * made is the webhook queue's business (see WebhookJobQueue): the row names the job that makes its next one.
 */
export interface WebhookDeliveryRepository {
  /** Adds deliveries; one already there for the same event and endpoint is left as it is. */
  addAll(deliveries: readonly WebhookDelivery[]): Promise<void>;
  findById(id: string): Promise<WebhookDelivery | null>;
  findByEventAndEndpoint(eventId: string, endpointId: string): Promise<WebhookDelivery | null>;
  /** The delivery, locked until the transaction ends (FOR UPDATE): its attempts' outcomes are recorded in turn. */
  findForUpdate(id: string): Promise<WebhookDelivery | null>;
  update(delivery: WebhookDelivery): Promise<void>;
  recordAttempt(attempt: DeliveryAttempt): Promise<void>;
  listForEvent(eventId: string): Promise<WebhookDelivery[]>;
  /** An event's attempts, oldest first. */
  attemptsForEvent(eventId: string): Promise<DeliveryAttempt[]>;
  /** Each endpoint's latest attempt (its health), for the endpoints named. */
  lastAttempts(endpointIds: readonly string[]): Promise<Map<string, DeliveryAttempt>>;
}

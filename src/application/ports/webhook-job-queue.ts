/** A job of the webhook queue: it asks for one attempt at one delivery. */
export type WebhookJob = {
  readonly id: string;
  readonly deliveryId: string;
};

/** One job to send: an attempt at `deliveryId`, due at `startAfter`. */
export type WebhookJobRequest = {
  readonly deliveryId: string;
  readonly startAfter: Date;
};

/**
 * The webhook queue's jobs (pg-boss on a database). Its writes belong to the transaction they are made in: a job
 * sent with the delivery rows exists exactly when they do, and a job completed with an attempt's record is done
 * exactly when the attempt is recorded. A delivery row names its current job (`jobId`); any other job for it is
 * stale and is completed without an attempt.
 */
export interface WebhookJobQueue {
  /** Sends one job per request, due at its `startAfter` (by the queue's clock); answers their ids, in order. */
  sendAll(requests: readonly WebhookJobRequest[]): Promise<string[]>;
  /**
   * Up to `limit` due jobs, each handed to one caller only (SKIP LOCKED across instances). A job taken and not
   * completed comes back once it expires (longer than an attempt may take), as after a crash.
   */
  fetch(limit: number): Promise<WebhookJob[]>;
  /** Marks jobs done: they are never handed out again. */
  complete(jobIds: readonly string[]): Promise<void>;
}

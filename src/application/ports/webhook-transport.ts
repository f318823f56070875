/** One signed POST of an event to an endpoint. */
export type WebhookMessage = {
  readonly url: string;
  /** The event's id: the `webhook-id` header, the same on every retry. */
  readonly eventId: string;
  /** Unix seconds: the `webhook-timestamp` header. */
  readonly timestamp: number;
  /** The exact bytes that are signed and sent. */
  readonly body: string;
  /** The `whsec_…` secrets that sign it (two during a rotation). */
  readonly secrets: readonly string[];
};

export type WebhookOutcome =
  | { readonly type: "delivered"; readonly responseStatus: number; readonly durationMs: number }
  | {
      readonly type: "failed";
      readonly responseStatus: number | null;
      readonly durationMs: number;
      readonly error: string;
    }
  /** Cut short by a shutdown: nothing is known, and it is not counted as a failure. */
  | { readonly type: "aborted" };

/**
 * Sends webhooks (Standard Webhooks signatures). A 2xx within the timeout is delivered; a 3xx, an error status,
 * a timeout, a refused address or a broken connection is failed. Never throws for what the receiver does.
 */
export interface WebhookTransport {
  send(message: WebhookMessage, signal: AbortSignal): Promise<WebhookOutcome>;
  /**
   * Why this server's policy refuses `url` as an endpoint before any lookup (`http` or a private, loopback or
   * link-local address written into it, in production), or null. Names are checked again at every delivery.
   */
  refusal(url: string): string | null;
}

/** Fresh endpoint secrets: `whsec_` and the base64 of at least 24 random bytes. */
export interface WebhookSecretGenerator {
  generate(): string;
}

/** When to try again after the `retry`-th retry of the schedule (0 for the first): null when it is spent. */
export interface RetrySchedule {
  delayMs(step: number): number | null;
}

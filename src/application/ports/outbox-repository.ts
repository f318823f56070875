import type { EventType } from "../../domain/webhook-endpoint.ts";
import type { Page, PageRequest } from "./page.ts";

/** What PayMe tells others happened to a business's resources (EVENT_TYPES); any type is carried alike. */
export type OutboxEventType = EventType;

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
  /** A business's events newest first (by id), of one type when asked, a page at a time. */
  pageForBusiness(
    businessId: string,
    filter: { readonly type?: OutboxEventType },
    page: PageRequest,
  ): Promise<Page<OutboxEvent>>;
  findById(id: string): Promise<OutboxEvent | null>;
  /**
   * Up to `limit` events not yet handed to the webhook fan-out, oldest first, locked until the transaction ends;
   * rows another transaction holds are skipped (SKIP LOCKED), so several instances share the work.
   */
  claimUndispatched(limit: number): Promise<OutboxEvent[]>;
  /** Marks events as handed to the fan-out: they are never claimed again. */
  markDispatched(ids: readonly string[], at: Date): Promise<void>;
  /** Deletes up to `limit` events created before `cutoff` (oldest first), with their webhook deliveries. */
  purgeCreatedBefore(cutoff: Date, limit: number): Promise<number>;
}

import type { Payout, PayoutStatus } from "../../domain/payout.ts";
import type { Page, PageRequest } from "./page.ts";

/** Which pending payouts are due a Transaction Status query. */
export type StatusQueryCriteria = {
  /** Payouts created at or before this are due (the grace period for their result has passed)… */
  readonly createdBefore: Date;
  /** …and so are those whose queue timed out, whenever they were created. Older than this, none is: given up. */
  readonly createdAfter: Date;
  /** A payout queried after this is not asked again yet: its last query's result may still come. */
  readonly queriedBefore: Date;
  readonly limit: number;
};

/** Which of a business's payouts a list shows: of one status, created at or after one time and before another. */
export type PayoutFilter = {
  readonly status?: PayoutStatus;
  readonly createdFrom?: Date;
  readonly createdBefore?: Date;
};

/**
 * Payouts. OriginatorConversationIDs, M-Pesa receipts, callback token hashes and status token hashes are
 * unique; a write that would repeat one throws UniqueViolation.
 */
export interface PayoutRepository {
  add(payout: Payout): Promise<void>;
  /** Saves everything that can change after creation. */
  update(payout: Payout): Promise<void>;
  findById(id: string, options?: { lock?: boolean }): Promise<Payout | null>;
  findByCallbackTokenHash(hash: string, options?: { lock?: boolean }): Promise<Payout | null>;
  findByStatusTokenHash(hash: string, options?: { lock?: boolean }): Promise<Payout | null>;
  findByOriginatorConversationId(id: string, options?: { lock?: boolean }): Promise<Payout | null>;
  /**
   * Claims up to `limit` pending payouts due a Transaction Status query (see StatusQueryCriteria), oldest
   * first, locking them until the transaction ends. Rows another transaction holds are skipped, not waited
   * for, so several reconciler instances never claim the same payout at once.
   */
  claimForStatusQuery(criteria: StatusQueryCriteria): Promise<Payout[]>;
  /** A business's payouts matching `filter`, newest first. */
  listByBusiness(businessId: string, filter: PayoutFilter, page: PageRequest): Promise<Page<Payout>>;
  /**
   * The sum of a business's pending and completed payouts created at or after `since`, in shillings: what counts
   * towards its daily limit (a failed payout moved no money).
   */
  sumPendingAndCompletedSince(businessId: string, since: Date): Promise<number>;
}

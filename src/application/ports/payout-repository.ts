import type { Payout } from "../../domain/payout.ts";

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
}

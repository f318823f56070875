import type { Refund } from "../../domain/refund.ts";

/** Which pending reversals are due a Transaction Status query (see StatusQueryCriteria of payouts). */
export type RefundStatusQueryCriteria = {
  readonly createdBefore: Date;
  readonly createdAfter: Date;
  readonly queriedBefore: Date;
  readonly limit: number;
};

/**
 * Refunds. Callback token hashes and status token hashes are unique; a write that would repeat one throws
 * UniqueViolation.
 */
export interface RefundRepository {
  /**
   * Locks the business's receipt until the transaction ends, creating its lock row on first use: every refund of
   * one receipt (through the sale or through its C2B payment) takes turns here, so that the check of what is
   * left and the insert of the refund cannot interleave with another refund's.
   */
  lockReceipt(businessId: string, receipt: string): Promise<void>;
  /** The shillings of the business's pending and completed refunds of this receipt. */
  sumHeldByReceipt(businessId: string, receipt: string): Promise<number>;
  add(refund: Refund): Promise<void>;
  /** Saves everything that can change after creation. */
  update(refund: Refund): Promise<void>;
  findById(id: string, options?: { lock?: boolean }): Promise<Refund | null>;
  findByPayoutId(payoutId: string, options?: { lock?: boolean }): Promise<Refund | null>;
  findByCallbackTokenHash(hash: string, options?: { lock?: boolean }): Promise<Refund | null>;
  findByStatusTokenHash(hash: string, options?: { lock?: boolean }): Promise<Refund | null>;
  /** The refunds of a sale or of a C2B payment (of its receipt), newest first. */
  listByReceipt(businessId: string, receipt: string): Promise<Refund[]>;
  /**
   * Claims up to `limit` pending reversals due a Transaction Status query, oldest first, locked until the
   * transaction ends, skipping rows another transaction holds. B2C refunds are settled through their payouts.
   */
  claimForStatusQuery(criteria: RefundStatusQueryCriteria): Promise<Refund[]>;
}

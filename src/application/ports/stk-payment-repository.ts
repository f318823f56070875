import type { StkPayment } from "../../domain/stk-payment.ts";

/**
 * What every store of STK payments (wallet purchases, sales, config verifications) offers the payment seam.
 * CheckoutRequestIDs, M-Pesa receipts and callback token hashes are unique; a write that would repeat one
 * throws UniqueViolation. `add` names the payment by its callback token hash in the payment locator, and `update`
 * by its CheckoutRequestID once it has one, in the same transaction: callbacks and queries find a payment there.
 */
export interface StkPaymentRepository<P extends StkPayment> {
  add(payment: P): Promise<void>;
  /** Saves everything that can change after creation. */
  update(payment: P): Promise<void>;
  /**
   * Records an accepted push's answer, already applied to `payment` (`recordPushAccepted`), on a payment whose
   * row is still as it was added: pending, push outcome `unknown`, no CheckoutRequestID. Its CheckoutRequestID,
   * MerchantRequestID and push outcome are written, and the CheckoutRequestID names it in the locator, in one
   * statement that is right on its own (`UnitOfWork.autocommit`): it waits for a transaction holding the row and
   * then looks at the row as that transaction left it. Answers the payment as stored then; null, writing nothing,
   * when the row had moved on (a callback settled it first): the caller then records the answer on the row as it
   * is, under a lock.
   */
  recordAcceptedPush(payment: P): Promise<P | null>;
  findById(id: string, options?: { lock?: boolean }): Promise<P | null>;
  /**
   * Claims up to `limit` payments due a status check: pending, without a blocking flag, with a CheckoutRequestID, created at
   * or before `createdBefore`, and not scheduled after `now`; oldest first, locked until the transaction ends.
   * Rows another transaction holds are skipped, not waited for, so several reconciler instances never claim
   * the same payment at once.
   */
  claimOpen(claim: {
    readonly now: Date;
    readonly createdBefore: Date;
    readonly limit: number;
  }): Promise<P[]>;
  /**
   * Claims up to `limit` payments still pending, without a blocking flag, that were created at or before `createdBefore`,
   * with or without a CheckoutRequestID, locked and skipping rows others hold: those to expire.
   */
  claimUnsettled(createdBefore: Date, limit: number): Promise<P[]>;
  /** How many payments are still pending (flagged ones included), and when the oldest was created. */
  pendingSummary(): Promise<{ readonly count: number; readonly oldestCreatedAt: Date | null }>;
}

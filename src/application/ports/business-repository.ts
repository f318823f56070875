import type { Business } from "../../domain/business.ts";

/**
 * Businesses. `add` also makes the business's creator its first owner (`business_members`), so that no business
 * is ever without one.
 */
export interface BusinessRepository {
  add(business: Business): Promise<void>;
  /**
   * How many businesses `ownerId` owns. With `lock`, the owner is locked until the transaction ends, so that
   * concurrent counts for one owner (each followed by an `add`) run one after another.
   */
  countOwnedBy(ownerId: string, options?: { lock?: boolean }): Promise<number>;
  /**
   * A business by id, whoever belongs to it: ask `authorize` (through `accessibleBusiness`) before answering a
   * caller with it. With `lock`, the row stays locked until the transaction ends, serialising changes to the
   * business. With `lock: "share"`, it is only held: a `lock` waits until the transaction ends, other shares do
   * not (a payout shares its business, so that a payout config setup, which locks it, never waits on a payout
   * that waits on it).
   */
  findById(id: string, options?: { lock?: boolean | "share" }): Promise<Business | null>;
}

import type { Business } from "../../domain/business.ts";

/** Businesses. Every read is scoped to an owner, so one user never sees another's business. */
export interface BusinessRepository {
  add(business: Business): Promise<void>;
  /**
   * The business if `ownerId` owns it, else null (absent and foreign look the same).
   * With `lock`, the row stays locked until the transaction ends, serialising changes to the business. With
   * `lock: "share"`, it is only held: a `lock` waits until the transaction ends, other shares do not (a payout
   * shares its business, so that a payout config setup, which locks it, never waits on a payout that waits on it).
   */
  findOwned(id: string, ownerId: string, options?: { lock?: boolean | "share" }): Promise<Business | null>;
  /**
   * How many businesses `ownerId` owns. With `lock`, the owner is locked until the transaction ends, so that
   * concurrent counts for one owner (each followed by an `add`) run one after another.
   */
  countOwnedBy(ownerId: string, options?: { lock?: boolean }): Promise<number>;
  /** All businesses of an owner, newest first. */
  listByOwner(ownerId: string): Promise<Business[]>;
  /** A business by id, whoever owns it: for settling payments, never for answering a user. */
  findById(id: string): Promise<Business | null>;
}

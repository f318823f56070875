/** What an STK push was for: a wallet top-up, a business's sale, or a business's KES 1 config verification. */
export type PushKind = "wallet" | "sale" | "verification";

/** One STK push PayMe admitted: a prompt on somebody's phone. */
export type PushRecord = {
  readonly id: string;
  readonly kind: PushKind;
  /** Who asked for it. */
  readonly userId: string;
  /** The business it was sent for; null for the wallet. */
  readonly businessId: string | null;
  /** The phone it went to, in Daraja's 12-digit form. */
  readonly phone: string;
  readonly createdAt: Date;
};

/** Which pushes to count: every given field must match (`businessId: null` is the wallet's). */
export type PushFilter = {
  readonly kind?: PushKind;
  readonly userId?: string;
  readonly businessId?: string | null;
  readonly phone?: string;
};

/** "When was the `nth` newest push matching `filter` made, counting only pushes made after `since`?" */
export type PushWindowQuery = { readonly filter: PushFilter; readonly since: Date; readonly nth: number };

/**
 * The log of admitted STK pushes, which the push limits count. Rows older than the longest window are purged.
 */
export interface PushLogRepository {
  /**
   * Holds an exclusive lock on each of `keys` until the transaction ends, taking them in sorted order (so two
   * transactions locking the same keys cannot deadlock). Admissions that share a key run one after another,
   * on every instance of PayMe on the database: what one counted and recorded, the next one counts.
   */
  lock(keys: readonly string[]): Promise<void>;
  /**
   * For each query, in order: the time of the `nth` newest matching push made after `since`, or null when
   * fewer than `nth` match.
   */
  nthNewest(queries: readonly PushWindowQuery[]): Promise<(Date | null)[]>;
  add(push: PushRecord): Promise<void>;
  /**
   * What `nthNewest(queries)` answers, and `push` added when every answer is null (no window is full), in one
   * step: admitting a push costs one round trip after its locks. `added` says whether it was added.
   */
  addUnlessFull(
    push: PushRecord,
    queries: readonly PushWindowQuery[],
  ): Promise<{ readonly nth: (Date | null)[]; readonly added: boolean }>;
  /** Deletes pushes made before `before`; answers how many went. */
  purgeBefore(before: Date): Promise<number>;
}

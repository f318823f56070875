import type { LookupQuery } from "../../domain/lookup-query.ts";
import type { Payout } from "../../domain/payout.ts";

/** Whose token a URL on the Transaction Status paths carries: a payout's (its latest status query's), or a look-up's. */
export type StatusTokenOwner =
  | { readonly kind: "payout"; readonly payout: Payout }
  | { readonly kind: "lookup"; readonly query: LookupQuery };

/**
 * The owners of the tokens on `/api/mpesa/status/…`, which payouts and look-ups share: each kind keeps its
 * tokens' hashes in its own table, each hash unique there.
 */
export interface StatusTokenRepository {
  /**
   * The payout or look-up whose status token has this hash, in one read whatever its kind: payouts first (the
   * reconciler's queries are most of these results), look-ups only when no payout has it. Tokens are random, so
   * no hash is both a payout's and a look-up's. With `lock`, the owner's row stays locked until the transaction
   * ends. Null when neither has it.
   */
  findOwner(hash: string, options: { readonly lock: boolean }): Promise<StatusTokenOwner | null>;
}

import type { LookupQuery } from "../../domain/lookup-query.ts";

/** Transaction Status look-ups and Account Balance queries, each found again by its id or its callback token. */
export interface LookupQueryRepository {
  add(query: LookupQuery): Promise<void>;
  findById(id: string): Promise<LookupQuery | null>;
  /** The query whose result URL carries the token with this hash, locked when asked. */
  findByTokenHash(tokenHash: string, options?: { lock?: boolean }): Promise<LookupQuery | null>;
  /** Saves a settled query (its status, result and times). */
  update(query: LookupQuery): Promise<void>;
}

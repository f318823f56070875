/** What an Idempotency-Key is scoped to: the same key from another user, or on another route, is another key. */
export type IdempotencyScope = {
  readonly userId: string;
  readonly route: string;
  readonly key: string;
};

/** The response saved for a key, replayed verbatim to every later request with the same key and body. */
export type StoredResponse = {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
};

export type IdempotencyClaim = {
  /** A digest of the request (its canonical body): a key reused with another digest is a conflict. */
  readonly requestHash: string;
  readonly now: Date;
  /** When the key stops counting: a key at or past its expiry is treated as absent and may be claimed again. */
  readonly expiresAt: Date;
};

/**
 * What a claim found:
 * - `claimed`: the key was free (new, released or expired) and is now this caller's, in progress;
 * - `replay`: the key's request finished with the same digest: answer with its response and run nothing;
 * - `in_progress`: the key's request, with the same digest, is still running;
 * - `conflict`: the key is held (running or finished) for a request with another digest.
 */
export type IdempotencyClaimOutcome =
  | { readonly type: "claimed" }
  | { readonly type: "replay"; readonly response: StoredResponse }
  | { readonly type: "in_progress" }
  | { readonly type: "conflict" };

/**
 * Idempotency keys and the responses saved under them, kept until they expire.
 * Stands alone, outside any unit of work: every method is its own short, committed write, so that no
 * transaction stays open while the request it guards runs (and calls Daraja).
 * - `claim` is atomic: of any number of concurrent claims on one free key, exactly one gets `claimed`.
 * - `complete` saves the response of a key claimed and still in progress; it throws RecordNotFound when
 *   the key is not in progress (never claimed, released, completed, or purged), which is a bug.
 * - `release` forgets a key still in progress, so that it can be claimed again; a completed or absent key
 *   is left as it is.
 * - `purgeExpired` deletes the keys whose expiry is at or before `now` and answers how many it deleted.
 */
export interface IdempotencyStore {
  claim(scope: IdempotencyScope, claim: IdempotencyClaim): Promise<IdempotencyClaimOutcome>;
  complete(scope: IdempotencyScope, response: StoredResponse): Promise<void>;
  release(scope: IdempotencyScope): Promise<void>;
  purgeExpired(now: Date): Promise<number>;
}

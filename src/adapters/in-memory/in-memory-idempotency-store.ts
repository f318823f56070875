import type {
  IdempotencyClaim,
  IdempotencyClaimOutcome,
  IdempotencyScope,
  IdempotencyStore,
  StoredResponse,
} from "../../application/ports/idempotency-store.ts";
import { RecordNotFound } from "../../application/ports/repository-errors.ts";

type Entry = {
  readonly requestHash: string;
  readonly expiresAt: Date;
  readonly response: StoredResponse | null;
};

/**
 * Idempotency keys in a map. Every method does its work without awaiting in between, so a claim is as
 * atomic here as the database's INSERT … ON CONFLICT is there.
 */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  async claim(scope: IdempotencyScope, claim: IdempotencyClaim): Promise<IdempotencyClaimOutcome> {
    const id = entryId(scope);
    const entry = this.entries.get(id);
    if (entry === undefined || entry.expiresAt.getTime() <= claim.now.getTime()) {
      this.entries.set(id, { requestHash: claim.requestHash, expiresAt: claim.expiresAt, response: null });
      return { type: "claimed" };
    }
    if (entry.requestHash !== claim.requestHash) {
      return { type: "conflict" };
    }
    return entry.response === null ? { type: "in_progress" } : { type: "replay", response: entry.response };
  }

  async complete(scope: IdempotencyScope, response: StoredResponse): Promise<void> {
    const id = entryId(scope);
    const entry = this.entries.get(id);
    if (entry === undefined || entry.response !== null) {
      throw new RecordNotFound("IdempotencyKey in progress", id);
    }
    this.entries.set(id, { ...entry, response: { ...response } });
  }

  async release(scope: IdempotencyScope): Promise<void> {
    const id = entryId(scope);
    if (this.entries.get(id)?.response === null) {
      this.entries.delete(id);
    }
  }

  async purgeExpired(now: Date): Promise<number> {
    let purged = 0;
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt.getTime() <= now.getTime()) {
        this.entries.delete(id);
        purged += 1;
      }
    }
    return purged;
  }
}

const entryId = (scope: IdempotencyScope): string => JSON.stringify([scope.userId, scope.route, scope.key]);

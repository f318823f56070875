import type {
  IdempotencyClaim,
  IdempotencyClaimOutcome,
  IdempotencyScope,
  IdempotencyStore,
  StoredResponse,
} from "../../application/ports/idempotency-store.ts";
import { RecordNotFound } from "../../application/ports/repository-errors.ts";
import type { SqlOrm } from "./database.ts";
import { IdempotencyKeySchema } from "./rows/idempotency-key-row.ts";

/**
 * Takes the key when no row holds it, or when the row holding it has expired; in one statement, so that the
 * primary key decides between concurrent claims. A claim that loses waits only for the winner's own
 * statement to commit, never for its request. Answers one row when the key was taken, none otherwise.
 */
const CLAIM_SQL = `
insert into "idempotency_keys" as "held"
  ("user_id", "route", "key", "request_hash", "state", "created_at", "expires_at")
values (?, ?, ?, ?, 'in_progress', ?, ?)
on conflict ("user_id", "route", "key") do update set
  "request_hash" = excluded."request_hash",
  "state" = 'in_progress',
  "response_status" = null,
  "response_content_type" = null,
  "response_body" = null,
  "created_at" = excluded."created_at",
  "expires_at" = excluded."expires_at"
where "held"."expires_at" <= excluded."created_at"
returning 1 as "claimed"`;

/** How often a claim looks again when the row that beat it is released before it could be read. */
const CLAIM_ATTEMPTS = 3;

/**
 * Idempotency keys in the `idempotency_keys` table. Every method is one autocommitted statement (or two, for
 * a claim that finds the key held) on a fresh fork of the EntityManager: nothing stays open while the
 * guarded request runs.
 */
export class MikroOrmIdempotencyStore implements IdempotencyStore {
  constructor(private readonly orm: SqlOrm) {}

  async claim(scope: IdempotencyScope, claim: IdempotencyClaim): Promise<IdempotencyClaimOutcome> {
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
      const em = this.orm.em.fork();
      const taken = await em
        .getConnection()
        .execute<unknown[]>(
          CLAIM_SQL,
          [scope.userId, scope.route, scope.key, claim.requestHash, claim.now, claim.expiresAt],
          "all",
        );
      if (taken.length === 1) {
        return { type: "claimed" };
      }
      const held = await em.findOne(IdempotencyKeySchema, where(scope), { disableIdentityMap: true });
      // Gone since the insert (released, or purged): the key is free again, so try to take it once more.
      if (held === null || held.expiresAt.getTime() <= claim.now.getTime()) {
        continue;
      }
      if (held.requestHash !== claim.requestHash) {
        return { type: "conflict" };
      }
      if (held.state === "in_progress" || held.responseStatus === null || held.responseBody === null) {
        return { type: "in_progress" };
      }
      return {
        type: "replay",
        response: {
          status: held.responseStatus,
          contentType: held.responseContentType,
          body: held.responseBody,
        },
      };
    }
    // Released and retaken again and again by other requests: for this one, the key is busy.
    return { type: "in_progress" };
  }

  async complete(scope: IdempotencyScope, response: StoredResponse): Promise<void> {
    const updated = await this.orm.em.fork().nativeUpdate(
      IdempotencyKeySchema,
      { ...where(scope), state: "in_progress" },
      {
        state: "completed",
        responseStatus: response.status,
        responseContentType: response.contentType,
        responseBody: response.body,
      },
    );
    if (updated === 0) {
      throw new RecordNotFound(
        "IdempotencyKey in progress",
        JSON.stringify([scope.userId, scope.route, scope.key]),
      );
    }
  }

  async release(scope: IdempotencyScope): Promise<void> {
    await this.orm.em.fork().nativeDelete(IdempotencyKeySchema, { ...where(scope), state: "in_progress" });
  }

  purgeExpired(now: Date): Promise<number> {
    return this.orm.em.fork().nativeDelete(IdempotencyKeySchema, { expiresAt: { $lte: now } });
  }
}

const where = (scope: IdempotencyScope) => ({ userId: scope.userId, route: scope.route, key: scope.key });

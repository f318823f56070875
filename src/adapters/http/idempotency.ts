import { createHash } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { StatusCode } from "hono/utils/http-status";
import type { Clock } from "../../application/ports/clock.ts";
import type {
  IdempotencyScope,
  IdempotencyStore,
  StoredResponse,
} from "../../application/ports/idempotency-store.ts";
import { callerId } from "../../application/shared/actor.ts";
import type { HttpEnv } from "./http-env.ts";
import { parseJsonBody } from "./json-body.ts";
import { type Problem, problemResponse } from "./problem.ts";
import { validationProblem } from "./request-body.ts";

export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
export const IDEMPOTENT_REPLAYED_HEADER = "Idempotent-Replayed";

/** How long a key is kept: a key older than this is treated as never used. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** 1 to 255 printable ASCII characters (space to tilde). */
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/**
 * Answers that mean the request never started: they save nothing and let the key be used again. A push past the
 * push limits is refused before anything is sent, reserved or recorded, so its key may be retried once the
 * limit allows (as Stripe saves no result for a request its rate limiter refused).
 */
const RELEASING_CODES: ReadonlyMap<number, ReadonlySet<string>> = new Map([
  [400, new Set(["validation_failed", "malformed_request"])],
  [429, new Set(["push_rate_limited"])],
]);

export type IdempotencyDependencies = {
  readonly store: IdempotencyStore;
  readonly clock: Clock;
  /** The scope of keys besides the user, e.g. "POST /api/payouts": one key may be used once per route. */
  readonly route: string;
};

const inProgress: Problem = {
  status: 409,
  code: "idempotency_in_progress",
  title: "Request in progress",
  detail: "A request with this Idempotency-Key is still being processed. Retry once it has finished.",
};

const conflict: Problem = {
  status: 422,
  code: "idempotency_conflict",
  title: "Idempotency-Key reused",
  detail:
    "This Idempotency-Key was already used with a different request body. Use a new key for a new request.",
};

const internalError: Problem = {
  status: 500,
  code: "internal_error",
  title: "Internal error",
  detail: "Something went wrong on our side. It has been logged; try again later.",
};

/**
 * Stripe's Idempotency-Key for one route; mount it after the bearer-token guard, so that `c.var.user` is set.
 * - No header: the request runs as usual. A header that is not 1–255 printable ASCII: `400 validation_failed`.
 * - A body that is not JSON claims nothing: the route's own validation answers it.
 * - The same key (per user and route, for 24 hours) with an equal body, compared as canonical JSON, replays
 *   the first response (status, content type, body) with `Idempotent-Replayed: true`, and runs nothing;
 *   with another body it is `422 idempotency_conflict`; while the first still runs, `409 idempotency_in_progress`.
 * - Every answer of the route is saved, failures included (a 409 subscriber_busy, a 502, a 503), except
 *   `400 validation_failed` and `400 malformed_request`, which release the key so the client can fix the body,
 *   and `429 push_rate_limited`, which releases it so the client can retry after `Retry-After`.
 * - An unexpected error (a 500, thrown or answered) is saved and replayed too. The route may have reached
 *   Daraja before it failed, and nothing generic can tell; running it again under the same key could charge
 *   a customer twice, so the client must decide, with a new key, whether to try again.
 */
export function idempotent(deps: IdempotencyDependencies): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const key = c.req.header(IDEMPOTENCY_KEY_HEADER);
    if (key === undefined) {
      return next();
    }
    if (!KEY_PATTERN.test(key)) {
      return problemResponse(
        c,
        validationProblem([
          { path: IDEMPOTENCY_KEY_HEADER, message: "must be 1 to 255 printable ASCII characters" },
        ]),
      );
    }
    const actor: HttpEnv["Variables"]["actor"] | undefined = c.var.actor;
    if (actor === undefined) {
      throw new Error("idempotent() must be mounted after the bearer-token guard");
    }
    // Hono caches the body text, so the route reads the same text again after this.
    const requestHash = hashOfJson(await c.req.text());
    if (requestHash === null) {
      return next();
    }

    // Scoped to the caller: the user, or the API key.
    const scope: IdempotencyScope = { userId: callerId(actor), route: deps.route, key };
    const now = deps.clock.now();
    const claimed = await deps.store.claim(scope, {
      requestHash,
      now,
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS),
    });
    switch (claimed.type) {
      case "replay":
        return replay(c, claimed.response);
      case "in_progress":
        return problemResponse(c, inProgress);
      case "conflict":
        return problemResponse(c, conflict);
      case "claimed":
        break;
    }

    try {
      await next();
    } catch (error) {
      // Hono turns an Error thrown by the route into the app's 500 before this point; only a thrown
      // non-Error (or a failing error handler) lands here. It is saved as a 500 like any other.
      await settle(c, deps.store, scope, await toStored(problemResponse(c, internalError)));
      throw error;
    }
    await settle(c, deps.store, scope, await toStored(c.res));
  };
}

/**
 * Saves the route's answer under the key, or releases the key when the answer was a validation failure.
 * If the store fails here, the route has already run: its answer still goes to the client, and the key stays
 * in progress until it expires (a retry with it gets 409), which is safer than letting the route run twice.
 */
async function settle(
  c: Context<HttpEnv>,
  store: IdempotencyStore,
  scope: IdempotencyScope,
  response: StoredResponse,
): Promise<void> {
  try {
    if (releasesKey(response)) {
      await store.release(scope);
    } else {
      await store.complete(scope, response);
    }
  } catch (error) {
    const log: HttpEnv["Variables"]["log"] | undefined = c.var.log;
    log?.error({ err: error, route: scope.route }, "could not save the response of an idempotent request");
  }
}

function releasesKey(response: StoredResponse): boolean {
  const codes = RELEASING_CODES.get(response.status);
  if (codes === undefined) {
    return false;
  }
  try {
    const problem: unknown = JSON.parse(response.body);
    return (
      typeof problem === "object" &&
      problem !== null &&
      "code" in problem &&
      typeof problem.code === "string" &&
      codes.has(problem.code)
    );
  } catch {
    // Not a problem document: some other 400, which is saved like any answer.
    return false;
  }
}

/** The response as it will be saved; the original is cloned, so it can still be sent. */
async function toStored(response: Response): Promise<StoredResponse> {
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    body: await response.clone().text(),
  };
}

function replay(c: Context<HttpEnv>, stored: StoredResponse): Response {
  const headers: Record<string, string> = { [IDEMPOTENT_REPLAYED_HEADER]: "true" };
  if (stored.contentType !== null) {
    headers["Content-Type"] = stored.contentType;
  }
  // Bytes rather than a string, so that a response saved without a content type is not given text/plain.
  const body = stored.body === "" ? null : new TextEncoder().encode(stored.body);
  // Through the context, not a bare Response, so that the headers set before (X-Request-Id) are kept.
  // The status was a real response's, so it is a valid status code.
  return c.newResponse(body, stored.status as StatusCode, headers);
}

/** SHA-256 of the body as canonical JSON (keys sorted at every depth), or null when it is not JSON. */
function hashOfJson(text: string): string | null {
  const parsed = parseJsonBody(text);
  // Not JSON (or absurdly deep): nothing to compare, and the route's own validation will answer it.
  return parsed.ok
    ? createHash("sha256")
        .update(JSON.stringify(canonical(parsed.value)))
        .digest("hex")
    : null;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(canonical);
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

import type { MiddlewareHandler } from "hono";
import type { HttpEnv } from "../http/http-env.ts";
import { problemResponse } from "../http/problem.ts";
import { redactedPath } from "../http/redact-path.ts";
import type { FileSpool } from "./file-spool.ts";
import type { SpoolObserver } from "./spool-observer.ts";

/** Marks a request the spool replays, so that a replay that fails again is not spooled a second time. */
export const SPOOL_REPLAY_HEADER = "X-PayMe-Spool-Replay";

/** When Safaricom is told to send a callback again that could not be stored. */
const RETRY_AFTER_SECONDS = 60;

/**
 * For Safaricom's callbacks: when the server cannot process one (the database is unreachable, or anything else
 * fails), the raw request is written to the durable spool and Safaricom still gets `200 Accepted`, because it will
 * not send the callback again. The spool is replayed through the same routes once the database is back.
 *
 * A callback is acknowledged only once it is stored durably. When the spool is full (SPOOL_MAX_MB), or the disk
 * refuses the write, the answer is `503` problem+json (`busy`, with Retry-After) so that Safaricom may send it
 * again; the refusal is logged (without the body) and counted in `/metrics`.
 */
export function spoolOnFailure(
  spool: FileSpool,
  accepted: object,
  observer: SpoolObserver,
): MiddlewareHandler<HttpEnv> {
  // Registered on overlapping paths (`/api/mpesa/*` and `/api/mpesa/callback/*`), it must act once per request.
  const handled = new WeakSet<Request>();
  return async (c, next) => {
    if (c.req.method !== "POST" || handled.has(c.req.raw)) {
      return next();
    }
    handled.add(c.req.raw);
    const body = await c.req.text();
    await next();
    if (c.res.status < 500 || c.req.header(SPOOL_REPLAY_HEADER) !== undefined) {
      return;
    }
    const path = redactedPath(c);
    let stored: Awaited<ReturnType<FileSpool["append"]>>;
    try {
      stored = await spool.append({
        receivedAt: new Date().toISOString(),
        method: c.req.method,
        path: c.req.path,
        contentType: c.req.header("content-type") ?? null,
        body,
      });
    } catch (error) {
      observer.refused("unwritable");
      c.var.log.error(
        { err: error, path },
        "callback could not be processed nor spooled: answered 503 so that it is sent again",
      );
      c.res = notStored(c, "it could not be written to the spool");
      return;
    }
    if (!stored.stored) {
      observer.refused("full");
      c.var.log.error(
        { path },
        "callback could not be processed and the spool is full (SPOOL_MAX_MB): answered 503 so that it is sent again",
      );
      c.res = notStored(c, "the spool of callbacks waiting for the database is full");
      return;
    }
    observer.spooled();
    c.var.log.warn({ spoolId: stored.entry.id, path }, "callback spooled: it will be applied later");
    c.res = c.json(accepted);
  };
}

function notStored(c: Parameters<MiddlewareHandler<HttpEnv>>[0], why: string): Response {
  return problemResponse(c, {
    status: 503,
    code: "busy",
    title: "Callback not stored",
    detail: `The callback could not be processed now and ${why}; send it again later.`,
    retryAfterSeconds: RETRY_AFTER_SECONDS,
  });
}

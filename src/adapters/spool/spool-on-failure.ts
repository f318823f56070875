import type { MiddlewareHandler } from "hono";
import type { HttpEnv } from "../http/http-env.ts";
import { redactPath } from "../http/redact-path.ts";
import type { FileSpool } from "./file-spool.ts";

/** Marks a request the spool replays, so that a replay that fails again is not spooled a second time. */
export const SPOOL_REPLAY_HEADER = "X-PayMe-Spool-Replay";

/**
 * For Safaricom's callbacks: when the server cannot process one (the database is unreachable, or anything else
 * fails), the raw request is written to the durable spool and Safaricom still gets `200 Accepted`, because it will
 * not send the callback again. The spool is replayed through the same routes once the database is back.
 */
export function spoolOnFailure(spool: FileSpool, accepted: object): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    if (c.req.method !== "POST") {
      return next();
    }
    const body = await c.req.text();
    await next();
    if (c.res.status < 500 || c.req.header(SPOOL_REPLAY_HEADER) !== undefined) {
      return;
    }
    const entry = await spool.append({
      receivedAt: new Date().toISOString(),
      method: c.req.method,
      path: c.req.path,
      contentType: c.req.header("content-type") ?? null,
      body,
    });
    c.var.log.warn(
      { spoolId: entry.id, path: redactPath(c.req.path) },
      "callback spooled: it will be applied later",
    );
    c.res = c.json(accepted);
  };
}

import type { Logger } from "pino";
import { redactPath } from "../http/redact-path.ts";
import type { FileSpool } from "./file-spool.ts";
import { SPOOL_REPLAY_HEADER } from "./spool-on-failure.ts";

/** How a spooled request is processed again: through the app itself. */
export type RequestHandler = (request: Request) => Promise<Response>;

/**
 * Replays spooled callbacks, oldest first, through the same routes that could not process them, once the database
 * answers again. An entry leaves the spool only once its route answered below 500; one that still fails stays
 * for the next round without holding up the others. Applying a callback is exactly-once, so an entry replayed
 * twice (a crash between applying and removing it) changes nothing more.
 */
export class SpoolReplayer {
  constructor(
    private readonly spool: FileSpool,
    private readonly handle: RequestHandler,
    /** True when the database answers: while it does not, nothing is tried. */
    private readonly isReady: () => Promise<boolean>,
    private readonly logger: Logger,
  ) {}

  async replay(): Promise<{ replayed: number; waiting: number }> {
    const entries = await this.spool.list();
    if (entries.length === 0 || !(await this.isReady())) {
      return { replayed: 0, waiting: entries.length };
    }
    let replayed = 0;
    for (const entry of entries) {
      const headers: Record<string, string> = { [SPOOL_REPLAY_HEADER]: entry.id };
      if (entry.contentType !== null) {
        headers["Content-Type"] = entry.contentType;
      }
      const response = await this.handle(
        new Request(`http://spool.local${entry.path}`, { method: entry.method, headers, body: entry.body }),
      );
      if (response.status >= 500) {
        // The database answers, so this entry fails for a reason of its own: keep it, and go on with the rest.
        this.logger.error(
          { spoolId: entry.id, status: response.status },
          "spooled callback still cannot be applied",
        );
        continue;
      }
      await this.spool.remove(entry.id);
      replayed += 1;
      this.logger.info(
        { spoolId: entry.id, path: redactPath(entry.path), status: response.status },
        "spooled callback applied",
      );
    }
    return { replayed, waiting: entries.length - replayed };
  }
}

import type { Logger } from "pino";
import type { PathRedactor } from "../http/redact-path.ts";
import type { FileSpool, ListedEntry, SpooledRequest } from "./file-spool.ts";
import type { QuarantineReason, SpoolObserver } from "./spool-observer.ts";
import { SPOOL_REPLAY_HEADER } from "./spool-on-failure.ts";

/** How a spooled request is processed again: through the app itself. */
export type RequestHandler = (request: Request) => Promise<Response>;

/** Replays of one entry that may fail, while the database answers, before it is quarantined. */
export const MAX_REPLAY_FAILURES = 10;

export type ReplayRound = { replayed: number; quarantined: number; waiting: number };

type Outcome = "replayed" | "quarantined" | "failed" | "database_away";

/**
 * Replays spooled callbacks, oldest first, through the same routes that could not process them, once the database
 * answers again; applying a callback is exactly-once, so an entry replayed twice (a crash between applying and
 * removing it) changes nothing more.
 * - A round reads the spool in batches of `batchSize` and tries at most `perRound` entries, so that neither its
 *   memory nor its length grows with the spool.
 * - An entry leaves the spool once its route answers below 400. An entry its route refuses (4xx), or that is not
 *   a spooled request at all, can never be applied: it is moved to the quarantine folder at once. One that fails
 *   (5xx) while the database answers is kept for the next round without holding up the others, and quarantined
 *   after MAX_REPLAY_FAILURES such failures, instead of being replayed for ever. A failure while the database is
 *   away is not counted: the round stops there.
 * - Each quarantine is logged once, at error level, without the body, and counted in the metrics.
 */
export class SpoolReplayer {
  private readonly batchSize: number;
  private readonly perRound: number;
  private readonly maxFailures: number;

  constructor(
    private readonly deps: {
      readonly spool: FileSpool;
      readonly handle: RequestHandler;
      /** True when the database answers: while it does not, nothing is tried. */
      readonly isReady: () => Promise<boolean>;
      readonly logger: Logger;
      readonly observer: SpoolObserver;
      readonly redactPath: PathRedactor;
      readonly batchSize?: number;
      readonly perRound?: number;
      readonly maxFailures?: number;
    },
  ) {
    this.batchSize = deps.batchSize ?? 50;
    this.perRound = deps.perRound ?? 500;
    this.maxFailures = deps.maxFailures ?? MAX_REPLAY_FAILURES;
  }

  async replay(): Promise<ReplayRound> {
    const { spool } = this.deps;
    const before = await spool.currentUsage();
    if (before.waiting.entries === 0 || !(await this.deps.isReady())) {
      return { replayed: 0, quarantined: 0, waiting: before.waiting.entries };
    }
    const round: ReplayRound = { replayed: 0, quarantined: 0, waiting: 0 };
    let tried = 0;
    let after: string | undefined;
    replaying: while (tried < this.perRound) {
      const batch = await spool.list({
        limit: Math.min(this.batchSize, this.perRound - tried),
        ...(after === undefined ? {} : { after }),
      });
      if (batch.length === 0) {
        break;
      }
      for (const listed of batch) {
        tried += 1;
        after = listed.readable ? listed.request.id : listed.id;
        const outcome = await this.replayOne(listed);
        if (outcome === "database_away") {
          break replaying;
        }
        if (outcome === "replayed" || outcome === "quarantined") {
          round[outcome] += 1;
        }
      }
    }
    return { ...round, waiting: (await spool.currentUsage()).waiting.entries };
  }

  private async replayOne(listed: ListedEntry): Promise<Outcome> {
    if (!listed.readable) {
      await this.quarantine(listed.id, "unreadable", { spoolId: listed.id });
      return "quarantined";
    }
    const entry = listed.request;
    const path = this.deps.redactPath(entry.path);
    const status = await this.send(entry);
    if (status < 400) {
      await this.deps.spool.remove(entry.id);
      this.deps.observer.replayed();
      this.deps.logger.info({ spoolId: entry.id, path, status }, "spooled callback applied");
      return "replayed";
    }
    if (status < 500) {
      await this.quarantine(entry.id, "refused", { spoolId: entry.id, path, status });
      return "quarantined";
    }
    if (!(await this.deps.isReady())) {
      return "database_away";
    }
    const failures = await this.deps.spool.recordFailure(entry);
    if (failures >= this.maxFailures) {
      await this.quarantine(entry.id, "failing", { spoolId: entry.id, path, status, failures });
      return "quarantined";
    }
    this.deps.logger.warn(
      { spoolId: entry.id, path, status, failures },
      "spooled callback still cannot be applied while the database answers: kept for the next round",
    );
    return "failed";
  }

  /** The status its route answers the entry with; an exception thrown on the way counts as a 500. */
  private async send(entry: SpooledRequest): Promise<number> {
    const headers: Record<string, string> = { [SPOOL_REPLAY_HEADER]: entry.id };
    if (entry.contentType !== null) {
      headers["Content-Type"] = entry.contentType;
    }
    try {
      const response = await this.deps.handle(
        new Request(`http://spool.local${entry.path}`, { method: entry.method, headers, body: entry.body }),
      );
      await response.body?.cancel();
      return response.status;
    } catch (error) {
      this.deps.logger.error({ err: error, spoolId: entry.id }, "spooled callback could not be replayed");
      return 500;
    }
  }

  private async quarantine(
    id: string,
    reason: QuarantineReason,
    fields: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.spool.quarantine(id);
    this.deps.observer.quarantined(reason);
    this.deps.logger.error(
      { ...fields, reason, folder: this.deps.spool.quarantineDirectory },
      "spooled callback quarantined: it will not be replayed again; a person must look at it",
    );
  }
}

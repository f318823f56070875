import { expect, inject } from "vitest";
import type { DrillReport } from "../../bench/lib/drills/report.ts";
import type { StageOptions } from "../../bench/lib/drills/stage.ts";

/**
 * Where a drill in the test suite makes its scratch database: on the run's PostgreSQL server, named after the
 * run, so that the run's teardown drops it even if the drill could not.
 */
export function drillStage(): StageOptions {
  const server = inject("testDatabase");
  if (server.kind !== "postgres") {
    throw new Error("the drills need PostgreSQL");
  }
  return { admin: server.adminUrl, prefix: `${server.runId}_drill` };
}

/** The drill's correctness checks, as `npm run drill` judges them: nothing lost, nothing doubled, every check ok. */
export function expectPassed(report: DrillReport): void {
  expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  expect({ lost: report.lost ?? 0, doubled: report.doubled ?? 0 }).toEqual({ lost: 0, doubled: 0 });
}

/** Long enough for a drill's processes to start on a busy 2-core machine; not a speed target. */
export const DRILL_TIMEOUT_MS = 180_000;

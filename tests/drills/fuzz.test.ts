import { describe, it } from "vitest";
import { runFuzzDrill } from "../../bench/lib/drills/fuzz-drill.ts";
import { explainSkipUnlessPostgres, onPostgres } from "../support/test-database.ts";
import { DRILL_TIMEOUT_MS, drillStage, expectPassed } from "./drill-support.ts";

explainSkipUnlessPostgres("the fuzz drill (a real server process on PostgreSQL)");

describe.skipIf(!onPostgres())("the fuzz drill, small", () => {
  it("300 hostile requests over every route: no 5xx, every error a problem, no leak, the server alive", {
    timeout: DRILL_TIMEOUT_MS,
  }, async () => {
    expectPassed(await runFuzzDrill({ ...drillStage(), requests: 300, seed: 42 }));
  });
});

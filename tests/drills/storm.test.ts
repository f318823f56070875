import { describe, it } from "vitest";
import { runStormDrill } from "../../bench/lib/drills/storm-drill.ts";
import { explainSkipUnlessPostgres, onPostgres } from "../support/test-database.ts";
import { DRILL_TIMEOUT_MS, drillStage, expectPassed } from "./drill-support.ts";

explainSkipUnlessPostgres("the duplicate storm drill (concurrent callbacks on a real server process)");

describe.skipIf(!onPostgres())("the duplicate storm drill, small", () => {
  it("20 purchases, each callback delivered 3 times at once, are credited exactly once", {
    timeout: DRILL_TIMEOUT_MS,
  }, async () => {
    expectPassed(await runStormDrill({ ...drillStage(), purchases: 20, duplicates: 3 }));
  });
});

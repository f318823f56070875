import { describe, it } from "vitest";
import { runC2bDrill } from "../../bench/lib/drills/c2b-drill.ts";
import { explainSkipUnlessPostgres, onPostgres } from "../support/test-database.ts";
import { DRILL_TIMEOUT_MS, drillStage, expectPassed } from "./drill-support.ts";

explainSkipUnlessPostgres("the C2B confirmations drill (concurrent confirmations on a real server process)");

describe.skipIf(!onPostgres())("the C2B confirmations drill, small", () => {
  it("40 confirmations, each delivered 3 times at once, 1 in 10 paying a pending sale: recorded exactly once", {
    timeout: DRILL_TIMEOUT_MS,
  }, async () => {
    expectPassed(await runC2bDrill({ ...drillStage(), confirmations: 40, duplicates: 3, matchedEvery: 10 }));
  });
});

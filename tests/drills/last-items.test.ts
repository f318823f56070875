import { describe, it } from "vitest";
import { runLastItemsDrill } from "../../bench/lib/drills/last-items-drill.ts";
import { explainSkipUnlessPostgres, onPostgres } from "../support/test-database.ts";
import { DRILL_TIMEOUT_MS, drillStage, expectPassed } from "./drill-support.ts";

explainSkipUnlessPostgres("the last items drill (concurrent callbacks on a real server process)");

describe.skipIf(!onPostgres())("the last items drill, small", () => {
  it("20 concurrent sales for 3 units: exactly 3 are paid, nothing is oversold, stock and reserved end at 0", {
    timeout: DRILL_TIMEOUT_MS,
  }, async () => {
    expectPassed(await runLastItemsDrill({ ...drillStage(), sales: 20, units: 3 }));
  });
});

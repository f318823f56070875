import { describe, it } from "vitest";
import { runCrashDrill } from "../../bench/lib/drills/crash-drill.ts";
import { explainSkipUnlessPostgres, onPostgres } from "../support/test-database.ts";
import { DRILL_TIMEOUT_MS, drillStage, expectPassed } from "./drill-support.ts";

explainSkipUnlessPostgres("the crash drill (concurrent callbacks on a real server process)");

describe.skipIf(!onPostgres())("the crash drill, small", () => {
  it("a kill -9 in the middle of 40 callbacks loses no acknowledged callback, and redeliveries settle each purchase once", {
    timeout: DRILL_TIMEOUT_MS,
  }, async () => {
    expectPassed(await runCrashDrill({ ...drillStage(), callbacks: 40, concurrency: 4 }));
  });
});

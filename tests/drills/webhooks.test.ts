import { describe, it } from "vitest";
import { runWebhooksDrill } from "../../bench/lib/drills/webhooks-drill.ts";
import { explainSkipUnlessPostgres, onPostgres } from "../support/test-database.ts";
import { DRILL_TIMEOUT_MS, drillStage, expectPassed } from "./drill-support.ts";

explainSkipUnlessPostgres("the webhooks drill (a real server process killed mid-way)");

describe.skipIf(!onPostgres())("the webhooks drill, small", () => {
  it("30 paid sales reach a receiver that fails a third of the attempts and is down for 3 s, through a kill -9", {
    timeout: DRILL_TIMEOUT_MS,
  }, async () => {
    expectPassed(
      await runWebhooksDrill({
        ...drillStage(),
        sales: 30,
        outageMs: 3_000,
        concurrency: 4,
        deliveryDeadlineMs: 100_000,
      }),
    );
  });
});

import { describe, expect, it } from "vitest";
import { runClusterDrill } from "../../bench/lib/drills/cluster-drill.ts";
import { haproxyBinary } from "../../bench/lib/haproxy.ts";
import { explainSkipUnlessPostgres, onPostgres } from "../support/test-database.ts";
import { drillStage, expectPassed } from "./drill-support.ts";

explainSkipUnlessPostgres("the cluster drill (three server processes on one PostgreSQL database)");

const haproxy = haproxyBinary();
const required = process.env.PAYME_REQUIRE_HAPROXY === "1";
if (haproxy === null && !required) {
  console.warn(
    "[tests] haproxy is not installed: the cluster drill is skipped (apt-get install haproxy; CI sets PAYME_REQUIRE_HAPROXY=1 and fails instead)",
  );
}

describe.skipIf(!onPostgres() || (haproxy === null && !required))("the cluster drill, small", () => {
  it("three instances behind HAProxy: a kill -9, a rolling restart, shared sign-in limits and sign-out; nothing lost, doubled or oversold, every webhook event delivered", {
    timeout: 240_000,
  }, async () => {
    expect(haproxy, "PAYME_REQUIRE_HAPROXY=1 but haproxy is not installed").not.toBeNull();
    expectPassed(
      await runClusterDrill({
        ...drillStage(),
        purchases: 60,
        measured: 10,
        sales: 30,
        units: 10,
        rollingRestarts: 1,
        concurrency: 6,
        // The request in flight on the killed instance keeps its Idempotency-Key in progress, so its client
        // retries all 20 times: about 10 s at 50 ms, rather than 50 s at npm run drill's 250 ms.
        retryPauseMs: 50,
      }),
    );
  });
});

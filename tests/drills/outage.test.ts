import { describe, it } from "vitest";
import { runOutageDrill } from "../../bench/lib/drills/outage-drill.ts";
import { canCreatePrivateCluster } from "../../bench/lib/drills/private-cluster.ts";
import { explainSkipUnlessPostgres, onPostgres } from "../support/test-database.ts";
import { DRILL_TIMEOUT_MS, expectPassed } from "./drill-support.ts";

explainSkipUnlessPostgres("the outage drill (a PostgreSQL cluster of its own, stopped under load)");
if (!canCreatePrivateCluster()) {
  console.info("[tests] skipped: the outage drill needs initdb and pg_ctl (set PG_BIN)");
}

describe.skipIf(!onPostgres() || !canCreatePrivateCluster())("the outage drill, small", () => {
  it("30 callbacks while the database stops and starts: all answered 200, spooled, then applied once", {
    timeout: DRILL_TIMEOUT_MS,
  }, async () => {
    expectPassed(await runOutageDrill({ callbacks: 30 }));
  });
});

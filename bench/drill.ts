import { runC2bDrill } from "./lib/drills/c2b-drill.ts";
import { runClusterDrill } from "./lib/drills/cluster-drill.ts";
import { runCrashDrill } from "./lib/drills/crash-drill.ts";
import { runFuzzDrill } from "./lib/drills/fuzz-drill.ts";
import { runLastItemsDrill } from "./lib/drills/last-items-drill.ts";
import { runOutageDrill } from "./lib/drills/outage-drill.ts";
import { brokenReport, type DrillReport, passed, summaryTable } from "./lib/drills/report.ts";
import { runStormDrill } from "./lib/drills/storm-drill.ts";
import { runWebhooksDrill } from "./lib/drills/webhooks-drill.ts";

/**
 * `npm run drill [-- <name>…]`: PayMe's reliability drills, each on its own scratch database with its own server
 * and simulator processes. Each shows that no payment was lost or applied twice; the exit code is 1 when any
 * correctness check failed. These are correctness checks, not speed targets.
 */

const DRILLS: Record<string, { what: string; run: () => Promise<DrillReport> }> = {
  storm: {
    what: "duplicate callbacks",
    run: () => runStormDrill({ purchases: 1_000, duplicates: 5 }),
  },
  crash: {
    what: "kill -9 mid-load and restart",
    run: () => runCrashDrill({ callbacks: 500 }),
  },
  "last-items": {
    what: "concurrent sales for the last units",
    run: () => runLastItemsDrill({ sales: 200, units: 10 }),
  },
  outage: {
    what: "the database goes away under load",
    run: () => runOutageDrill({ callbacks: 300 }),
  },
  webhooks: {
    what: "webhooks to a flaky receiver through an outage and a kill -9",
    run: () => runWebhooksDrill({ sales: 1_000, outageMs: 60_000 }),
  },
  c2b: {
    what: "C2B confirmations delivered 3 times at once",
    run: () => runC2bDrill({ confirmations: 1_000, duplicates: 3, matchedEvery: 10 }),
  },
  cluster: {
    what: "three instances behind HAProxy: kill -9, rolling restart, shared limits, sign-out and webhook deliveries",
    run: () => runClusterDrill({ purchases: 1_000, measured: 200, sales: 300, units: 100 }),
  },
  fuzz: {
    what: "malformed and hostile requests",
    run: () => runFuzzDrill({ requests: 10_000, seed: Number(process.env.FUZZ_SEED ?? "20261126") }),
  },
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in DRILLS));
if (unknown.length > 0) {
  console.error(`Unknown drill ${unknown.join(", ")}: choose from ${Object.keys(DRILLS).join(", ")}`);
  process.exit(2);
}

const reports: DrillReport[] = [];
for (const name of asked.length > 0 ? asked : Object.keys(DRILLS)) {
  const drill = DRILLS[name];
  if (drill === undefined) {
    continue;
  }
  console.log(`\n== ${name}: ${drill.what}`);
  const started = performance.now();
  try {
    reports.push(await drill.run());
  } catch (error) {
    console.error(`[${name}] did not finish:`, error);
    reports.push(brokenReport(name, drill.what, error));
  }
  console.log(`[${name}] took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

console.log(`\n${summaryTable(reports)}`);
process.exit(reports.every(passed) ? 0 : 1);

import { call } from "../api.ts";
import { until } from "../processes.ts";
import { deliverCallback, inPool } from "./load.ts";
import { createPrivateCluster } from "./private-cluster.ts";
import { check, type DrillReport, say } from "./report.ts";
import { onStage, type StageOptions } from "./stage.ts";
import { auditWallet, openPurchases, untilWalletSettled, walletReport } from "./wallet.ts";

export type OutageOptions = Omit<StageOptions, "databaseUrl" | "admin" | "prefix"> & {
  readonly callbacks: number;
  readonly concurrency?: number;
};

/**
 * Database outage: PayMe runs on a PostgreSQL cluster of the drill's own, which is stopped (immediate: a crash,
 * for its clients) a third of the way through a load of callbacks, with deliveries in flight; the rest are
 * delivered while it is down. The receiver must
 * keep answering 200, spooling to disk, and /ready must say 503. Once the cluster is back, without a restart,
 * /ready must return to 200 and every spooled callback be applied, exactly once.
 */
export async function runOutageDrill(options: OutageOptions): Promise<DrillReport> {
  const drill = "outage";
  const what = `database stopped a third of the way through ${options.callbacks} callbacks, then started`;
  const cluster = await createPrivateCluster();
  say(drill, `private PostgreSQL cluster on ${new URL(cluster.url).host}`);
  try {
    return await onStage({ ...options, databaseUrl: cluster.url }, async (stage) => {
      const planned = await openPurchases(stage, { count: options.callbacks, buyers: 5, cancelledEvery: 5 });
      const stopAfter = Math.floor(planned.length / 3);
      let answered = 0;
      let outage: Promise<void> | null = null;
      let deliveredDuringOutage = 0;
      let down = false;
      const answers = await inPool(planned, options.concurrency ?? 8, async (purchase) => {
        // Deliveries in flight when the stop begins meet a database going away; the rest wait for it to be gone.
        await outage;
        const status = await deliverCallback(purchase.callbackUrl, purchase.callbackBody);
        if (status === 200) {
          answered += 1;
        }
        if (down) {
          deliveredDuringOutage += 1;
        }
        if (answered >= stopAfter && outage === null) {
          outage = cluster.stop("immediate").then(() => {
            down = true;
          });
        }
        return status;
      });
      await outage;
      const readyWhileDown = await readyStatus(stage.payme.baseUrl);
      const spooled = stage.spooled();
      say(
        drill,
        `${answers.filter((s) => s === 200).length}/${planned.length} answered 200, ${deliveredDuringOutage} of them ` +
          `after the database was down; ${spooled} spooled; /ready says ${readyWhileDown}`,
      );

      const restarting = performance.now();
      await cluster.start();
      await until("/ready to return to 200", async () =>
        (await readyStatus(stage.payme.baseUrl)) === 200 ? true : undefined,
      );
      say(drill, `database started again; /ready 200 after ${Math.round(performance.now() - restarting)} ms`);
      await untilWalletSettled(stage, 60_000);
      const acknowledged = planned.filter((_, i) => answers[i] === 200);
      const audit = await auditWallet(stage, acknowledged);
      const health = await call(stage.payme.baseUrl, "GET", "/health");
      return walletReport(drill, what, audit, [
        check(
          "all answered 200",
          acknowledged.length === planned.length,
          `${planned.length - acknowledged.length} not answered 200`,
        ),
        check(
          "spooled while down",
          spooled > 0 && deliveredDuringOutage > 0,
          `${spooled} spooled, ${deliveredDuringOutage} delivered while down`,
        ),
        check("/ready 503 while down", readyWhileDown === 503, `/ready said ${readyWhileDown}`),
        check("server stayed up", health.status === 200, `/health said ${health.status}`),
      ]);
    });
  } finally {
    await cluster.remove();
  }
}

async function readyStatus(baseUrl: string): Promise<number> {
  return (await call(baseUrl, "GET", "/ready")).status;
}

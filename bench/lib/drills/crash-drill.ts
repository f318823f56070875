import { adminQuery } from "../postgres.ts";
import { deliverCallback, inPool } from "./load.ts";
import { check, type DrillReport, say } from "./report.ts";
import { onStage, type StageOptions } from "./stage.ts";
import { auditWallet, openPurchases, untilWalletSettled, walletReport } from "./wallet.ts";

export type CrashOptions = StageOptions & {
  readonly callbacks: number;
  readonly concurrency?: number;
};

/**
 * Crash: the server is killed (SIGKILL, no shutdown at all) while callbacks are arriving, after about half have
 * been answered, and started again where it was. A callback answered 200 before the crash must have been kept
 * (applied, or spooled and replayed after the restart); then Safaricom's retries of all of them must settle each
 * purchase once, with no ledger credit missing or doubled.
 */
export async function runCrashDrill(options: CrashOptions): Promise<DrillReport> {
  const drill = "crash";
  const what = `kill -9 mid-way through ${options.callbacks} callbacks, restart, deliver all again`;
  return onStage(options, async (stage) => {
    const planned = await openPurchases(stage, { count: options.callbacks, buyers: 10, cancelledEvery: 5 });
    const concurrency = options.concurrency ?? 16;
    const crashAfter = Math.floor(planned.length / 2);
    let answered = 0;
    let crashing: Promise<void> | null = null;
    const firstRound = await inPool(planned, concurrency, async (purchase) => {
      const status = await deliverCallback(purchase.callbackUrl, purchase.callbackBody);
      if (status === 200) {
        answered += 1;
      }
      if (answered >= crashAfter && crashing === null) {
        crashing = stage.payme.crash();
      }
      return status;
    });
    await crashing;
    const acknowledged = planned.filter((_, i) => firstRound[i] === 200);
    say(
      drill,
      `killed the server (pid ${stage.payme.pid}) with ${acknowledged.length}/${planned.length} callbacks answered 200; ` +
        `${firstRound.filter((s) => s === null).length} got no answer`,
    );

    const restarted = await stage.restart();
    say(drill, `restarted (pid ${restarted.pid}) on the same port, data directory and database`);
    await untilWalletSettled(
      stage,
      30_000,
      acknowledged.map((p) => p.id),
    );
    const keptRows = await adminQuery<{ id: string }>(
      stage.databaseUrl,
      "select id::text as id from wallet_purchases where status <> 'pending' and id = any($1::uuid[])",
      [acknowledged.map((p) => p.id)],
    );
    say(
      drill,
      `after the restart, ${keptRows.length}/${acknowledged.length} acknowledged callbacks are applied`,
    );

    const secondRound = await inPool(planned, concurrency, (purchase) =>
      deliverCallback(purchase.callbackUrl, purchase.callbackBody),
    );
    const redelivered = secondRound.filter((status) => status === 200).length;
    say(drill, `re-delivered all ${planned.length}: ${redelivered} answered 200`);
    await untilWalletSettled(stage, 60_000);
    const audit = await auditWallet(stage, planned);
    return walletReport(drill, what, audit, [
      check(
        "crashed mid-load",
        acknowledged.length > 0 && acknowledged.length < planned.length,
        `${acknowledged.length}/${planned.length} answered before the crash`,
      ),
      check(
        "acknowledged survived",
        keptRows.length === acknowledged.length,
        `${acknowledged.length - keptRows.length} callbacks answered 200 before the crash were not kept`,
      ),
      check(
        "redeliveries answered 200",
        redelivered === planned.length,
        `${planned.length - redelivered} not answered 200`,
      ),
    ]);
  });
}

import { adminQuery } from "../postgres.ts";
import { deliverCallback, inPool } from "./load.ts";
import { check, type DrillReport, say } from "./report.ts";
import { onStage, type StageOptions } from "./stage.ts";
import { auditWallet, openPurchases, untilWalletSettled, walletReport } from "./wallet.ts";

export type StormOptions = StageOptions & {
  readonly purchases: number;
  /** How many times each callback is delivered, all at once. */
  readonly duplicates: number;
  /** Purchases whose duplicates are in flight together. */
  readonly concurrency?: number;
};

/**
 * Duplicate storm: Safaricom may deliver a callback more than once, and the copies may race each other. Every
 * purchase's callback (paid for most, cancelled for one in five) is posted `duplicates` times at once; each
 * paid purchase must be credited exactly once, and every copy must still be answered 200 and audited.
 */
export async function runStormDrill(options: StormOptions): Promise<DrillReport> {
  const drill = "storm";
  const what = `${options.purchases} purchases × ${options.duplicates} concurrent copies of each callback`;
  return onStage(options, async (stage) => {
    const planned = await openPurchases(stage, {
      count: options.purchases,
      buyers: 10,
      cancelledEvery: 5,
    });
    say(
      drill,
      `${planned.length} pending purchases; delivering each callback ${options.duplicates} times at once`,
    );
    const started = performance.now();
    const answers = (
      await inPool(planned, options.concurrency ?? 20, (purchase) =>
        Promise.all(
          Array.from({ length: options.duplicates }, () =>
            deliverCallback(purchase.callbackUrl, purchase.callbackBody),
          ),
        ),
      )
    ).flat();
    const accepted = answers.filter((status) => status === 200).length;
    say(
      drill,
      `${accepted}/${answers.length} deliveries answered 200 in ${Math.round(performance.now() - started)} ms`,
    );
    await untilWalletSettled(stage, 60_000);
    const audit = await auditWallet(stage, planned);
    const [audited] = await adminQuery<{ count: number }>(
      stage.databaseUrl,
      "select count(*)::int as count from mpesa_callbacks where kind = 'stk_callback'",
    );
    return walletReport(drill, what, audit, [
      check("all answered 200", accepted === answers.length, `${answers.length - accepted} not answered 200`),
      check(
        "every copy audited",
        audited?.count === answers.length,
        `${audited?.count} callbacks in the audit trail for ${answers.length} deliveries`,
      ),
    ]);
  });
}

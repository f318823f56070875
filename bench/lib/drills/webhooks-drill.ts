import { call, expectStatus, paidCallbackBody, payerPhone, setUpTill, signUp } from "../api.ts";
import { adminQuery } from "../postgres.ts";
import { until } from "../processes.ts";
import { deliverCallback, inPool } from "./load.ts";
import { check, type DrillReport, say } from "./report.ts";
import { onStage, type StageOptions } from "./stage.ts";
import { webhookReceiver } from "./webhook-receiver.ts";

export type WebhooksOptions = StageOptions & {
  readonly sales: number;
  /** How long the receiver is down, in the middle of the callbacks. */
  readonly outageMs: number;
  /** The share of attempts the receiver fails at random (answered 500). */
  readonly failShare?: number;
  readonly concurrency?: number;
  /** How long to wait for the last events after every sale is paid. */
  readonly deliveryDeadlineMs?: number;
};

/**
 * A short schedule that outlasts the outage with retries to spare: a receiver that fails a third of the attempts at
 * random still gets every event (the chance that ten attempts after the outage all fail is 1 in 59,000).
 */
const DRILL_SCHEDULE = "1,2,4,8,16,30,30,30,30,30,30,30,30,30,30,30";

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);

/**
 * Webhooks: `sales` paid sales, each telling a receiver that verifies signatures (with the `standardwebhooks`
 * package), fails a third of the attempts at random and is down for `outageMs` in the middle; PayMe is killed with
 * SIGKILL once, mid-way, and restarted. Every sale.paid event must reach the receiver successfully at least once;
 * events delivered twice are counted (allowed: at least once), with the delivery lag at p50 and p99.
 */
export async function runWebhooksDrill(options: WebhooksOptions): Promise<DrillReport> {
  const drill = "webhooks";
  const what = `${options.sales} paid sales to a flaky receiver (down ${Math.round(options.outageMs / 1000)} s), SIGKILL once`;
  const hook = webhookReceiver(options.failShare ?? 1 / 3);
  await hook.listen();
  try {
    return await onStage(
      { ...options, env: { WEBHOOK_RETRY_SCHEDULE: DRILL_SCHEDULE, WEBHOOK_POLL_MS: "100", ...options.env } },
      async (stage) => {
        const { baseUrl } = stage.payme;
        const shop = await signUp(baseUrl, "drill-webhooks");
        await setUpTill(baseUrl, shop);
        const created = expectStatus(
          await call<{ secret: string }>(
            baseUrl,
            "POST",
            `/api/businesses/${shop.businessId}/webhook-endpoints`,
            {
              token: shop.token,
              body: { url: hook.url, events: ["sale.paid"] },
            },
          ),
          201,
          "create webhook endpoint",
        );
        hook.secret = created.secret;
        const concurrency = options.concurrency ?? 16;
        const started = await inPool(
          Array.from({ length: options.sales }),
          concurrency,
          async (_, i) =>
            expectStatus(
              await call<{ sale: { id: string; checkoutRequestId: string } }>(
                baseUrl,
                "POST",
                "/api/sales/payment",
                {
                  token: shop.token,
                  body: { businessId: shop.businessId, phone: payerPhone(i), amount: 100 + (i % 50) },
                },
              ),
              202,
              "start a sale",
            ).sale,
        );
        say(drill, `${started.length} sales started`);
        const checkouts = await stage.simulator.checkouts(started.map((sale) => sale.checkoutRequestId));

        // The receiver goes down a third of the way through the callbacks; PayMe is killed half-way.
        let answered = 0;
        let outage: Promise<void> | null = null;
        let crashing: Promise<void> | null = null;
        await inPool(checkouts, concurrency, async (checkout) => {
          const status = await deliverCallback(checkout.callbackUrl, paidCallbackBody(checkout));
          answered += status === 200 ? 1 : 0;
          if (answered >= checkouts.length / 3 && outage === null) {
            hook.state.down = true;
            say(drill, `receiver down for ${options.outageMs} ms`);
            outage = new Promise<void>((done) =>
              setTimeout(() => {
                hook.state.down = false;
                say(drill, "receiver back up");
                done();
              }, options.outageMs),
            );
          }
          if (answered >= checkouts.length / 2 && crashing === null) {
            crashing = stage.payme.crash();
          }
        });
        await crashing;
        say(drill, `killed PayMe (SIGKILL) after ${answered}/${checkouts.length} callbacks answered`);
        await stage.restart();
        say(drill, "restarted; delivering every callback again");
        await inPool(checkouts, concurrency, (checkout) =>
          deliverCallback(checkout.callbackUrl, paidCallbackBody(checkout)),
        );
        const paid = await until(
          "every sale to be paid",
          async () => {
            const rows = await adminQuery<{ id: string }>(
              stage.databaseUrl,
              "select id::text as id from sales where status = 'paid'",
            );
            return rows.length === started.length && stage.spooled() === 0 ? rows : undefined;
          },
          120_000,
        );
        const events = await adminQuery<{ id: string }>(
          stage.databaseUrl,
          "select id::text as id from outbox_events where type = 'sale.paid'",
        );
        await outage;
        const missing = () => events.filter((event) => !hook.delivered.has(event.id)).length;
        await until(
          "every event to be delivered",
          async () => (missing() === 0 ? true : undefined),
          options.deliveryDeadlineMs ?? 600_000,
        ).catch(() => undefined);
        const lags = [...hook.delivered.values()].map((d) => d.firstAt - d.createdAt).sort((a, b) => a - b);
        const twice = [...hook.delivered.values()].filter((d) => d.count > 1).length;
        const failedRows = await adminQuery<{ n: number }>(
          stage.databaseUrl,
          "select count(*)::int as n from webhook_deliveries where status = 'failed'",
        );
        say(
          drill,
          `${hook.delivered.size}/${events.length} events delivered in ${hook.state.attempts} attempts; ` +
            `${twice} delivered more than once; lag p50 ${percentile(lags, 50)} ms, p99 ${percentile(lags, 99)} ms`,
        );
        return {
          drill,
          what,
          lost: missing(),
          doubled: null,
          checks: [
            check("every sale paid", paid.length === started.length, `${paid.length}/${started.length}`),
            check(
              "one sale.paid event per paid sale",
              events.length === paid.length,
              `${events.length} events`,
            ),
            check("every event delivered", missing() === 0, `${missing()} never delivered successfully`),
            check(
              "signatures verify",
              hook.state.badSignatures === 0,
              `${hook.state.badSignatures} did not verify`,
            ),
            check(
              "no delivery given up",
              (failedRows[0]?.n ?? 0) === 0,
              `${failedRows[0]?.n} failed deliveries`,
            ),
            check("duplicates counted", true, `${twice} delivered twice or more`),
          ],
        };
      },
    );
  } finally {
    await hook.close();
  }
}

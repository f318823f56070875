import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CheckoutView } from "../../../src/adapters/daraja-simulator/daraja-simulator.ts";
import {
  type Account,
  BENCH_PASSWORD,
  call,
  cancelledCallbackBody,
  createProduct,
  expectStatus,
  paidCallbackBody,
  payerPhone,
  setUpTill,
  signUp,
} from "../api.ts";
import { type Balancer, startHaproxy } from "../haproxy.ts";
import { adminQuery, adminUrl, scratchDatabase } from "../postgres.ts";
import {
  freePort,
  type PayMeProcess,
  type SimulatorProcess,
  sleep,
  startPayMeProcess,
  startSimulatorProcess,
  until,
} from "../processes.ts";
import { deliverCallback, inPool } from "./load.ts";
import { type Check, check, type DrillReport, say } from "./report.ts";
import { DRILL_ENV, type Stage, type StageOptions } from "./stage.ts";
import { auditWallet, type PlannedPurchase, untilWalletSettled } from "./wallet.ts";
import { type WebhookReceiver, webhookReceiver } from "./webhook-receiver.ts";

export type ClusterOptions = StageOptions & {
  /** Wallet purchases through the balancer (the first `measured` of them also time the cluster). */
  readonly purchases: number;
  /** Sales of one unit each, through the balancer, for `units` in stock. */
  readonly sales: number;
  readonly units: number;
  /** Purchases sent straight to one instance, then as many through the balancer: the throughput comparison. */
  readonly measured: number;
  /** Instances restarted in turn with SIGTERM under load (all 3 in `npm run drill`). */
  readonly rollingRestarts?: number;
  readonly concurrency?: number;
  /**
   * A request that got no answer, a 5xx or `idempotency_in_progress` is sent again, up to 20 times, after n times
   * this pause before the n-th retry (250 ms unless said: about 50 s in all). The request in flight on the killed
   * instance keeps its key in progress and so uses up every retry: the test suite makes the pause shorter.
   */
  readonly retryPauseMs?: number;
  /** How long to wait, after the audit, for the shop's last webhook events to be delivered. */
  readonly webhookDeadlineMs?: number;
};

const INSTANCES = 3;
const drill = "cluster";
/** Failures one account may have from one address per window, on every instance together. */
const SIGN_IN_LIMIT = 10;
const CANCELLING_PHONE = "254700000001";

/** One instance: its name in HAProxy, its port and data directory (its spool), and the process now running. */
type Instance = {
  readonly name: string;
  readonly port: number;
  readonly dataDir: string;
  process: PayMeProcess;
};

/**
 * A short retry schedule (about a minute in all), so that an event whose attempt died with the killed instance, or
 * was handed back by a draining one, is retried well within the drill.
 */
const WEBHOOK_SCHEDULE = "1,1,2,2,4,4,8,8,8,8";

/**
 * The cluster: three PayMe instances on one PostgreSQL database behind HAProxy (health check on /ready), with
 * one simulator. Through the balancer: wallet purchases and sales of scarce stock, one instance killed with
 * SIGKILL mid-load and restarted, every callback delivered twice, a sign-in storm on one account, a token
 * signed out on one instance and tried on the others, and a rolling restart (SIGTERM, each in turn) under load.
 * The shop's webhook endpoint is a local receiver that verifies every signature. Nothing may be lost, doubled or
 * oversold, the rolling restart may fail no request, and every webhook event must be delivered at least once.
 */
export async function runClusterDrill(options: ClusterOptions): Promise<DrillReport> {
  const what =
    `${INSTANCES} instances behind HAProxy: ${options.purchases} wallet purchases, ${options.sales} sales for ` +
    `${options.units} units, kill -9 and restart, callbacks twice, sign-in storm, sign-out, rolling restart, webhook deliveries`;
  const concurrency = options.concurrency ?? 16;
  const retryPauseMs = options.retryPauseMs ?? 250;
  const scratch = await scratchDatabase(options.admin ?? adminUrl(), options.prefix ?? "payme_drill");
  const databaseUrl = scratch.url;
  const instances: Instance[] = [];
  let simulator: SimulatorProcess | null = null;
  let balancer: Balancer | null = null;
  const hook = webhookReceiver();
  try {
    await hook.listen();
    const sim = await startSimulatorProcess();
    simulator = sim;
    const ports = await Promise.all(Array.from({ length: INSTANCES }, () => freePort()));
    const lb = await startHaproxy(ports.map((port, i) => ({ name: `payme${i + 1}`, port })));
    balancer = lb;
    const env = {
      ...DRILL_ENV,
      WEBHOOK_RETRY_SCHEDULE: WEBHOOK_SCHEDULE,
      WEBHOOK_POLL_MS: "100",
      ...options.env,
      // Every instance must have the same keys: a token signed by one is checked by another, a secret sealed
      // by one is opened by another. (Without them each instance would make its own under its data directory.)
      JWT_SECRET: randomBytes(48).toString("base64url"),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      MPESA_CALLBACK_URL: `${lb.url}/api/mpesa/callback`,
      TRUST_PROXY: "127.0.0.1",
      AUTH_RATE_LIMIT_PER_ACCOUNT_ADDRESS: String(SIGN_IN_LIMIT),
      // Longer than HAProxy needs to see three failed checks (1.5 s), with room for a busy machine.
      SHUTDOWN_DRAIN_SECONDS: "4",
      LOG_LEVEL: "warn",
    };
    const start = (instance: Omit<Instance, "process">) =>
      startPayMeProcess({
        databaseUrl,
        simulatorUrl: sim.url,
        dataDir: instance.dataDir,
        port: instance.port,
        env,
      });
    // The first start migrates; the others then start together and find the schema in place.
    const identities = ports.map((port, i) => ({
      name: `payme${i + 1}`,
      port,
      dataDir: mkdtempSync(join(tmpdir(), "payme-cluster-")),
    }));
    const [firstIdentity, ...others] = identities;
    if (firstIdentity !== undefined) {
      instances.push({ ...firstIdentity, process: await start(firstIdentity) });
    }
    const started = await Promise.allSettled(others.map((identity) => start(identity)));
    // Every instance that did start is kept, so that the clean-up stops it even if another did not start.
    for (const [i, result] of started.entries()) {
      const identity = others[i];
      if (result.status === "fulfilled" && identity !== undefined) {
        instances.push({ ...identity, process: result.value });
      }
    }
    const failed = started.find((result) => result.status === "rejected");
    if (failed !== undefined) {
      throw failed.reason;
    }
    await lb.untilUp(instances.map((instance) => instance.name));
    say(drill, `${INSTANCES} instances up behind HAProxy at ${lb.url}`);
    const spooled = () => instances.reduce((sum, instance) => sum + spooledIn(instance.dataDir), 0);
    const first = instances[0] as Instance;
    // The drill's view for the shared wallet helpers: the balancer is "the server".
    const stage: Stage = {
      databaseUrl,
      simulator: sim,
      payme: { ...first.process, baseUrl: lb.url },
      restart: () => Promise.reject(new Error("the cluster restarts its instances itself")),
      spooled,
      quarantined: () => 0,
    };
    const buyers = await inPool(Array.from({ length: 10 }), 4, () => signUp(lb.url, "cluster"));
    // The shop tells a webhook endpoint of every event, from before the load to the end.
    const shop = await signUp(lb.url, "cluster-shop");
    const endpoint = expectStatus(
      await call<{ endpoint: { id: string }; secret: string }>(
        lb.url,
        "POST",
        `/api/businesses/${shop.businessId}/webhook-endpoints`,
        { token: shop.token, body: { url: hook.url, events: ["*"] } },
      ),
      201,
      "create webhook endpoint",
    );
    hook.secret = endpoint.secret;
    await setUpTill(lb.url, shop);

    // 1. Throughput: the same purchases straight to one instance, then spread by the balancer.
    const single = await timed(() =>
      initiatePurchases(first.process.baseUrl, buyers, options.measured, concurrency, retryPauseMs),
    );
    const spread = await timed(() =>
      initiatePurchases(lb.url, buyers, options.measured, concurrency, retryPauseMs),
    );
    const rate = (t: { ms: number }) => (options.measured / (t.ms / 1000)).toFixed(0);
    say(
      drill,
      `wallet purchases per second: one instance ${rate(single)}, three behind HAProxy ${rate(spread)}`,
    );

    // 2. The rest of the purchases and the sales together, with one instance killed mid-load and restarted.
    const productId = await createProduct(lb.url, shop, { name: "Scarce", price: 250, stock: options.units });
    const victim = instances[1] as Instance;
    let killing: Promise<void> | null = null;
    const rest = options.purchases - options.measured;
    const [restPurchases, saleAttempts] = await Promise.all([
      initiatePurchases(lb.url, buyers, rest, concurrency, retryPauseMs, (done) => {
        if (done >= rest / 3 && killing === null) {
          killing = (async () => {
            await victim.process.crash();
            say(drill, `killed ${victim.name} (SIGKILL) after ${done}/${rest} purchases were answered`);
            victim.process = await start(victim);
            say(drill, `${victim.name} restarted`);
          })();
        }
      }),
      inPool(Array.from({ length: options.sales }), concurrency, (_, i) =>
        withRetries(retryPauseMs, () =>
          call<{ sale?: { id: string; checkoutRequestId: string }; code?: string }>(
            lb.url,
            "POST",
            "/api/sales/payment",
            {
              token: shop.token,
              headers: { "Idempotency-Key": randomUUID() },
              body: {
                businessId: shop.businessId,
                phone: payerPhone(i),
                items: [{ productId, quantity: 1 }],
              },
            },
          ),
        ),
      ),
    ]);
    await killing;
    await lb.untilUp(instances.map((instance) => instance.name));
    const opened = [...single.value, ...spread.value, ...restPurchases];
    const answeredPurchases = opened.filter((p): p is Opened => p !== null);
    const answeredSales = saleAttempts.flatMap((a) =>
      a?.status === 202 && a.body.sale ? [a.body.sale] : [],
    );
    const refusedSales = saleAttempts.filter(
      (a) => a?.status === 409 && a.body.code === "insufficient_stock",
    );
    // Requests in flight on the killed instance got no answer, but may have started a payment: Safaricom calls
    // back for those all the same, so the drill delivers their callbacks too (found in the database).
    const strays = await strayPayments(databaseUrl, answeredPurchases, answeredSales, buyers);
    const purchases = [...answeredPurchases, ...strays.purchases];
    const acceptedSales = [...answeredSales, ...strays.sales];
    const unanswered =
      opened.length - answeredPurchases.length + (options.sales - answeredSales.length - refusedSales.length);
    say(
      drill,
      `${answeredPurchases.length}/${opened.length} purchases answered 202, ${answeredSales.length} sales accepted, ` +
        `${refusedSales.length} refused insufficient_stock; ${unanswered} requests were in flight on the killed ` +
        `instance (${strays.purchases.length + strays.sales.length} of them had started a payment)`,
    );

    // 3. Callbacks, each delivered twice through the balancer, while the instances restart in turn; plus a
    //    steady read load, so that the restart is measured under load.
    const planned = await planCallbacks(sim, purchases);
    const saleCheckouts = await sim.checkouts(acceptedSales.map((sale) => sale.checkoutRequestId));
    const deliveries = [
      ...planned.map((p) => ({ url: p.callbackUrl, body: p.callbackBody })),
      ...saleCheckouts.map((c) => ({ url: c.callbackUrl, body: paidCallbackBody(c) })),
    ];
    let rolling = true;
    const failures: string[] = [];
    const rollingRestart = (async () => {
      for (const instance of instances.slice(0, options.rollingRestarts ?? INSTANCES)) {
        await instance.process.stop();
        instance.process = await start(instance);
        await lb.untilUp(instances.map((i) => i.name));
        say(drill, `${instance.name} restarted with SIGTERM, back in rotation`);
      }
      rolling = false;
    })();
    const steadyReads = inPool(buyers, buyers.length, async (buyer) => {
      let reads = 0;
      while (rolling) {
        const answer = await call(lb.url, "GET", "/api/wallet", { token: buyer.token }).catch(() => null);
        reads += 1;
        if (answer?.status !== 200) {
          failures.push(`GET /api/wallet: ${answer?.status ?? "no answer"}`);
        }
        await sleep(20);
      }
      return reads;
    });
    const callbackStatuses = (
      await inPool(deliveries, concurrency, async (delivery) => [
        await deliverCallback(delivery.url, delivery.body),
        await deliverCallback(delivery.url, delivery.body),
      ])
    ).flat();
    for (const status of callbackStatuses.filter((s) => s !== 200)) {
      failures.push(`callback: ${status ?? "no answer"}`);
    }
    await rollingRestart;
    const reads = (await steadyReads).reduce((sum, n) => sum + n, 0);
    say(
      drill,
      `${callbackStatuses.length} callback deliveries and ${reads} reads during the rolling restart: ${failures.length} failed`,
    );

    // 4. Sign-in storm on one account, spread over the instances; then sign-out on one instance.
    const storm = await signInStorm(lb.url, buyers[0] as Account);
    const revocation = await revocationChecks(instances, buyers[1] as Account);

    // 5. The audit.
    await untilWalletSettled(stage, 60_000);
    const audit = await auditWallet(stage, planned);
    const sales = await adminQuery<{ id: string; status: string; units: number }>(
      databaseUrl,
      `select id::text as id, status,
              (select coalesce(sum((item->>'quantity')::int), 0) from jsonb_array_elements(items) item)::int as units
         from sales`,
    );
    const [product] = await adminQuery<{ stock: number; reserved: number }>(
      databaseUrl,
      "select stock, reserved from products where id = $1",
      [productId],
    );
    const paidUnits = sales.filter((s) => s.status === "paid").reduce((sum, s) => sum + s.units, 0);
    // A push in flight on the killed instance, recorded as started but never named by Daraja (no
    // CheckoutRequestID): its outcome is unknown, so it stays pending (and its stock held) for its callback, a
    // person or expiry; never settled as not paid. Its request was one the client got no answer to.
    const unknownOutcome = await adminQuery<{ kind: string; units: number }>(
      databaseUrl,
      `select 'purchase' as kind, 0 as units from wallet_purchases where status = 'pending' and checkout_request_id is null
       union all
       select 'sale', (select coalesce(sum((item->>'quantity')::int), 0) from jsonb_array_elements(items) item)::int
         from sales where status = 'pending' and checkout_request_id is null`,
    );
    const heldUnits = unknownOutcome.reduce((sum, row) => sum + row.units, 0);
    const auditChecks = audit.checks.map((c) =>
      c.name === "none pending"
        ? check(
            "none pending but the killed instance's",
            c.detail === `${unknownOutcome.filter((row) => row.kind === "purchase").length} pending`,
            `${c.detail}, of which ${unknownOutcome.length} purchases and sales were being pushed on the killed instance (outcome unknown)`,
          )
        : c,
    );
    const oversold = Math.max(0, paidUnits - options.units);
    const lostSales = acceptedSales.filter(
      (sale) => !sales.some((s) => s.id === sale.id && s.status === "paid"),
    ).length;
    const webhookChecks = await webhookDeliveryChecks(
      databaseUrl,
      hook,
      endpoint.endpoint.id,
      options.webhookDeadlineMs ?? 90_000,
    );
    say(
      drill,
      `lost ${audit.lost + lostSales}, doubled ${audit.doubled}, oversold ${oversold}; ` +
        `${paidUnits} units paid of ${options.units}; ${audit.checks.map((c) => c.detail).join("; ")}`,
    );
    return {
      drill,
      what,
      lost: audit.lost + lostSales,
      doubled: audit.doubled + oversold,
      checks: [
        check("killed mid-load", killing !== null, `${victim.name} killed with SIGKILL and restarted`),
        check(
          "only the killed instance's requests unanswered",
          unanswered <= concurrency * 2,
          `${unanswered} requests unanswered (in flight on the killed instance: their Idempotency-Key stays in progress)`,
        ),
        check("not oversold", oversold === 0, `${paidUnits} units paid for ${options.units} in stock`),
        check(
          "stock adds up",
          product?.stock === options.units - paidUnits - heldUnits && product?.reserved === heldUnits,
          `stock ${product?.stock}, reserved ${product?.reserved} (${heldUnits} held by pushes of unknown outcome), ${paidUnits} units paid of ${options.units}`,
        ),
        check("rolling restart failed nothing", failures.length === 0, failures.slice(0, 5).join("; ")),
        ...storm,
        ...revocation,
        // At most one per request in flight on the killed instance. (A client's retry of such a request may have
        // been answered by another instance, so this is not bounded by the unanswered requests.)
        check(
          "unknown outcomes only from the kill",
          unknownOutcome.length <= concurrency * 2,
          `${unknownOutcome.length} payments of unknown outcome (pushes in flight on the killed instance), ${unanswered} requests unanswered`,
        ),
        ...webhookChecks,
        ...auditChecks,
      ],
    };
  } finally {
    for (const instance of instances) {
      await instance.process.crash();
      rmSync(instance.dataDir, { recursive: true, force: true });
    }
    await balancer?.stop();
    await simulator?.stop();
    await scratch.drop();
    await hook.close();
  }
}

/**
 * After the load: every event of the shop since its endpoint was created must reach the receiver successfully at
 * least once (waited for up to `deadlineMs`), with a signature that verifies and no delivery given up. An event
 * delivered more than once (an attempt cut short by the kill, or answered while its instance drained) is allowed
 * and counted.
 */
async function webhookDeliveryChecks(
  databaseUrl: string,
  hook: WebhookReceiver,
  endpointId: string,
  deadlineMs: number,
): Promise<Check[]> {
  const events = await adminQuery<{ id: string }>(
    databaseUrl,
    `select e.id::text as id from outbox_events e join webhook_endpoints w on w.business_id = e.business_id
      where w.id = $1 and e.created_at >= w.created_at`,
    [endpointId],
  );
  const missing = () => events.filter((event) => !hook.delivered.has(event.id)).length;
  await until(
    "every webhook event to be delivered",
    async () => (missing() === 0 ? true : undefined),
    deadlineMs,
  ).catch(() => undefined);
  const deliveries = await adminQuery<{ status: string; n: number }>(
    databaseUrl,
    "select status, count(*)::int as n from webhook_deliveries where endpoint_id = $1 group by status",
    [endpointId],
  );
  const byStatus = (status: string) => deliveries.find((row) => row.status === status)?.n ?? 0;
  const more = events.filter((event) => (hook.delivered.get(event.id)?.count ?? 0) > 1).length;
  say(
    drill,
    `webhooks: ${events.length - missing()}/${events.length} events delivered in ${hook.state.attempts} attempts, ` +
      `${more} more than once, ${byStatus("failed")} failed for good, ${hook.state.badSignatures} bad signatures`,
  );
  return [
    check(
      "every webhook event delivered",
      events.length > 0 && missing() === 0,
      `${events.length - missing()}/${events.length} delivered, ${missing()} lost, ${more} more than once (allowed: at least once)`,
    ),
    check(
      "webhook signatures verify",
      hook.state.badSignatures === 0,
      `${hook.state.badSignatures} did not verify`,
    ),
    check("no webhook delivery failed for good", byStatus("failed") === 0, `${byStatus("failed")} failed`),
  ];
}

type Opened = {
  readonly id: string;
  readonly checkoutRequestId: string;
  readonly tokens: number;
  readonly buyer: Account;
  readonly index: number;
};

/**
 * `count` wallet purchases, each with its own Idempotency-Key, retried with the same key while the answer is
 * lost (a killed instance) or says the first attempt is still running: null for one never answered 202.
 */
async function initiatePurchases(
  baseUrl: string,
  buyers: readonly Account[],
  count: number,
  concurrency: number,
  retryPauseMs: number,
  onAnswered: (answered: number) => void = () => undefined,
): Promise<(Opened | null)[]> {
  let answered = 0;
  return inPool(Array.from({ length: count }), concurrency, async (_, i) => {
    const buyer = buyers[i % buyers.length] as Account;
    const key = randomUUID();
    const phone = i % 5 === 4 ? CANCELLING_PHONE : payerPhone(i);
    const answer = await withRetries(retryPauseMs, () =>
      call<{ purchase?: { id: string; checkoutRequestId: string; tokens: number } }>(
        baseUrl,
        "POST",
        "/api/wallet-payment/initiate",
        { token: buyer.token, headers: { "Idempotency-Key": key }, body: { phone, amount: 10 + (i % 90) } },
      ),
    );
    answered += 1;
    onAnswered(answered);
    const purchase = answer?.status === 202 ? answer.body.purchase : undefined;
    return purchase === undefined ? null : { ...purchase, buyer, index: i };
  });
}

/**
 * Sends again (same request, same Idempotency-Key) while no answer came, or a 5xx or `idempotency_in_progress`,
 * up to 20 times, pausing n × `pauseMs` before the n-th retry.
 */
async function withRetries<T>(pauseMs: number, send: () => Promise<{ status: number; body: T }>) {
  for (let attempt = 1; attempt <= 20; attempt += 1) {
    const answer = await send().catch(() => null);
    const code = (answer?.body as { code?: string } | undefined)?.code;
    if (answer !== null && answer.status < 500 && code !== "idempotency_in_progress") {
      return answer;
    }
    await sleep(pauseMs * attempt);
  }
  return null;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** Pending payments with a CheckoutRequestID whose initiating request was never answered (the killed instance). */
async function strayPayments(
  databaseUrl: string,
  purchases: readonly Opened[],
  sales: readonly { id: string }[],
  buyers: readonly Account[],
): Promise<{ purchases: Opened[]; sales: { id: string; checkoutRequestId: string }[] }> {
  const knownPurchases = new Set(purchases.map((p) => p.id));
  const knownSales = new Set(sales.map((s) => s.id));
  const purchaseRows = await adminQuery<{ id: string; checkout: string; user_id: string; tokens: number }>(
    databaseUrl,
    `select id::text as id, checkout_request_id as checkout, user_id::text as user_id, tokens
       from wallet_purchases where status = 'pending' and checkout_request_id is not null`,
  );
  const saleRows = await adminQuery<{ id: string; checkout: string }>(
    databaseUrl,
    "select id::text as id, checkout_request_id as checkout from sales where status = 'pending' and checkout_request_id is not null",
  );
  return {
    purchases: purchaseRows
      .filter((row) => !knownPurchases.has(row.id))
      .flatMap((row) => {
        const buyer = buyers.find((b) => b.userId === row.user_id);
        // Index 0: planned as paid.
        return buyer === undefined
          ? []
          : [{ id: row.id, checkoutRequestId: row.checkout, tokens: row.tokens, buyer, index: 0 }];
      }),
    sales: saleRows
      .filter((row) => !knownSales.has(row.id))
      .map((row) => ({ id: row.id, checkoutRequestId: row.checkout })),
  };
}

/** Each purchase's callback, as its payer's phone decides: the cancelling number cancels, the rest pay. */
async function planCallbacks(
  simulator: SimulatorProcess,
  purchases: readonly Opened[],
): Promise<PlannedPurchase[]> {
  const checkouts = new Map<string, CheckoutView>();
  for (let i = 0; i < purchases.length; i += 200) {
    for (const checkout of await simulator.checkouts(
      purchases.slice(i, i + 200).map((p) => p.checkoutRequestId),
    )) {
      checkouts.set(checkout.checkoutRequestId, checkout);
    }
  }
  return purchases.map((purchase) => {
    const checkout = checkouts.get(purchase.checkoutRequestId);
    if (checkout === undefined) {
      throw new Error(`the simulator has no checkout ${purchase.checkoutRequestId}`);
    }
    const cancelled = purchase.index % 5 === 4;
    return {
      id: purchase.id,
      buyer: purchase.buyer,
      tokens: purchase.tokens,
      outcome: cancelled ? "cancelled" : "paid",
      callbackUrl: checkout.callbackUrl,
      callbackBody: cancelled ? cancelledCallbackBody(checkout) : paidCallbackBody(checkout),
    };
  });
}

/** 40 concurrent wrong passwords on one account through the balancer: the limit holds over all instances. */
async function signInStorm(baseUrl: string, account: Account): Promise<Check[]> {
  const guesses = await Promise.all(
    Array.from({ length: 40 }, () =>
      call(baseUrl, "POST", "/auth/sign-in", {
        body: { email: account.email, password: "wrong-password-1" },
      }),
    ),
  );
  const judged = guesses.filter((g) => g.status === 401).length;
  const limited = guesses.filter((g) => g.status === 429).length;
  say(
    drill,
    `sign-in storm: 40 wrong passwords over ${INSTANCES} instances, ${judged} judged, ${limited} limited`,
  );
  return [
    check(
      "sign-in limit holds across instances",
      judged === SIGN_IN_LIMIT && limited === 40 - SIGN_IN_LIMIT,
      `${judged} judged, ${limited} limited (limit ${SIGN_IN_LIMIT} for all instances together)`,
    ),
  ];
}

/** A token signed out through one instance is refused by every other, straight away. */
async function revocationChecks(instances: readonly Instance[], account: Account): Promise<Check[]> {
  const signedIn = await call<{ token: string }>(
    instances[0]?.process.baseUrl ?? "",
    "POST",
    "/auth/sign-in",
    {
      body: { email: account.email, password: BENCH_PASSWORD },
    },
  );
  const token = signedIn.body.token;
  const before = await Promise.all(
    instances.map((i) => call(i.process.baseUrl, "GET", "/api/wallet", { token }).then((a) => a.status)),
  );
  const out = await call(instances[0]?.process.baseUrl ?? "", "POST", "/auth/sign-out", { token });
  const after = await Promise.all(
    instances.map((i) => call(i.process.baseUrl, "GET", "/api/wallet", { token }).then((a) => a.status)),
  );
  say(
    drill,
    `sign-out on ${instances[0]?.name}: before ${before.join("/")}, sign-out ${out.status}, after ${after.join("/")}`,
  );
  return [
    check(
      "sign-out refused everywhere",
      signedIn.status === 200 &&
        before.every((s) => s === 200) &&
        out.status === 204 &&
        after.every((s) => s === 401),
      `before ${before.join("/")}, sign-out ${out.status}, after ${after.join("/")}`,
    ),
  ];
}

function spooledIn(dataDir: string): number {
  try {
    return readdirSync(join(dataDir, "spool")).filter((name) => name.endsWith(".json")).length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return 0;
    }
    throw error;
  }
}

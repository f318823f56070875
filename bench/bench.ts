import { fork } from "node:child_process";
import {
  type Account,
  BENCH_PASSWORD,
  createProduct,
  paidCallbackBody,
  payerPhone,
  setUpTill,
  signUp,
} from "./lib/api.ts";
import { type LoadFigures, type LoadRequest, load } from "./lib/load.ts";
import { adminQuery, type ScratchDatabase, scratchDatabase } from "./lib/postgres.ts";
import {
  type PayMeProcess,
  type SimulatorProcess,
  startPayMeProcess,
  startSimulatorProcess,
} from "./lib/processes.ts";
import { rawSettlementBaseline } from "./lib/raw-settlement.ts";
import { printTable, type Row } from "./lib/table.ts";

/**
 * `npm run bench`: PayMe on PostgreSQL, the Daraja simulator in a process of its own, driven by autocannon, beside
 * two baselines measured in the same run on the same machine. It prints one table, with the targets beside the
 * figures; a missed target is reported, never a failure. BENCH_SECONDS (default 8) sets each timed run's length,
 * BENCH_PURCHASES (default 3,000) the wallet pushes initiated and then settled;
 * BENCH_PROFILE_DIR has the server write a CPU profile there.
 */

const SECONDS = Number(process.env.BENCH_SECONDS ?? "8");
const CONNECTIONS = 64;
/** PayMe's own pool size (src/adapters/persistence/database.ts), used by the raw-SQL baseline too. */
const POOL_SIZE = 10;
const RAW_PAYMENTS = 10_000;
/** Products in the shop whose sales are measured. */
const CATALOG = 60;
/** Wallet pushes sent in the initiation run; each leaves a pending purchase for the settlement run. */
const PURCHASES = Number(process.env.BENCH_PURCHASES ?? "3000");
/** BENCH_PROFILE_DIR: where the server writes a CPU profile of the whole run (open it in Chrome's DevTools). */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;

const fixed = (value: number, digits = 0) => value.toFixed(digits);
const ms = (value: number) => `${fixed(value, value < 10 ? 1 : 0)} ms`;
const cpu = (figures: LoadFigures) =>
  figures.cpuMsEach === null ? "" : `, ${fixed(figures.cpuMsEach, 2)} ms server CPU each`;
const rate = (figures: LoadFigures, unit: string) =>
  `${fixed(figures.perSecond)} ${unit}, p50 ${ms(figures.p50Ms)}, p99 ${ms(figures.p99Ms)}${cpu(figures)}${unexpected(figures)}`;
const unexpected = (figures: LoadFigures) => {
  const entries = Object.entries(figures.unexpected);
  return entries.length === 0 ? "" : ` (unexpected: ${entries.map(([k, n]) => `${n}× ${k}`).join(", ")})`;
};

async function bareHonoBaseline(): Promise<LoadFigures> {
  const child = fork(new URL("./lib/bare-hono.ts", import.meta.url).pathname, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  try {
    const url = await new Promise<string>((resolve) =>
      child.once("message", (message) => resolve((message as { url: string }).url)),
    );
    return await load({ baseUrl: url, connections: CONNECTIONS, expectStatus: 200, seconds: SECONDS });
  } finally {
    child.disconnect();
  }
}

/** A POST of `body` as `account`'s user. */
const asUser = (account: Account, path: string, body: unknown): LoadRequest => ({
  method: "POST",
  path,
  headers: { authorization: `Bearer ${account.token}` },
  body: JSON.stringify(body),
});

/** Wallet purchases pushed to distinct payers; the simulator accepts each push and leaves it pending. */
async function walletInitiation(
  payme: PayMeProcess,
  buyer: Account,
  checkoutIds: string[],
): Promise<LoadFigures> {
  let n = 0;
  return load({
    baseUrl: payme.baseUrl,
    cpuSeconds: payme.cpuSeconds,
    connections: CONNECTIONS,
    expectStatus: 202,
    amount: PURCHASES,
    next: () => {
      n += 1;
      return asUser(buyer, "/api/wallet-payment/initiate", { phone: payerPhone(n), amount: 10 + (n % 90) });
    },
    onBody: (body) => {
      checkoutIds.push(
        (JSON.parse(body) as { purchase: { checkoutRequestId: string } }).purchase.checkoutRequestId,
      );
    },
  });
}

/** Each pending purchase's successful callback, delivered once, to its own per-payment URL. */
async function callbackSettlement(
  payme: PayMeProcess,
  simulator: SimulatorProcess,
  database: ScratchDatabase,
  checkoutIds: readonly string[],
): Promise<{ figures: LoadFigures; committed: number; perSecond: number }> {
  const callbacks: { path: string; body: string }[] = [];
  for (let i = 0; i < checkoutIds.length; i += 1_000) {
    for (const checkout of await simulator.checkouts(checkoutIds.slice(i, i + 1_000))) {
      callbacks.push({ path: new URL(checkout.callbackUrl).pathname, body: paidCallbackBody(checkout) });
    }
  }
  let next = 0;
  const figures = await load({
    baseUrl: payme.baseUrl,
    cpuSeconds: payme.cpuSeconds,
    connections: CONNECTIONS,
    expectStatus: 200,
    amount: callbacks.length,
    next: () => {
      const callback = callbacks[next++];
      return callback === undefined ? null : { method: "POST", path: callback.path, body: callback.body };
    },
  });
  // Counted when committed: the purchases the database holds as paid, each with its one ledger entry.
  const [counts] = await adminQuery<{ paid: string; credited: string }>(
    database.url,
    `select (select count(*) from wallet_purchases where status = 'paid') as paid,
            (select count(*) from wallet_ledger_entries) as credited`,
  );
  const committed = Math.min(Number(counts?.paid ?? 0), Number(counts?.credited ?? 0));
  if (committed !== callbacks.length || Number(counts?.paid) !== Number(counts?.credited)) {
    throw new Error(
      `settlement lost or doubled something: ${callbacks.length} callbacks, ${counts?.paid} paid, ${counts?.credited} ledger entries`,
    );
  }
  return { figures, committed, perSecond: committed / figures.seconds };
}

/**
 * Sales of three products each, with their stock reserved, through a till the business set up. The three are
 * picked in turn from a catalog of CATALOG products, as a shop's sales spread over what it sells: with one
 * catalog of three, every sale would queue for the same three row locks, which measures the lock, not PayMe.
 */
async function saleInitiation(payme: PayMeProcess): Promise<LoadFigures> {
  const shop = await signUp(payme.baseUrl, "shop");
  await setUpTill(payme.baseUrl, shop);
  const products: string[] = [];
  for (let i = 0; i < CATALOG; i += 1) {
    products.push(
      await createProduct(payme.baseUrl, shop, {
        name: `Item ${i + 1}`,
        price: 50 + i,
        stock: 1_000_000, // the most a product may hold; a bench run sells a few hundred of each
      }),
    );
  }
  let n = 0;
  return load({
    baseUrl: payme.baseUrl,
    cpuSeconds: payme.cpuSeconds,
    connections: CONNECTIONS,
    expectStatus: 202,
    seconds: SECONDS,
    next: () => {
      n += 1;
      return asUser(shop, "/api/sales/payment", {
        businessId: shop.businessId,
        phone: payerPhone(n),
        items: [0, 1, 2].map((k) => ({ productId: products[(3 * n + k) % CATALOG] as string, quantity: 1 })),
      });
    },
  });
}

/** A sign-in storm, with /health probed over one connection at the same time. */
async function signInStorm(payme: PayMeProcess, account: Account) {
  const [signIn, health] = await Promise.all([
    load({
      baseUrl: payme.baseUrl,
      cpuSeconds: payme.cpuSeconds,
      connections: 16,
      expectStatus: 200,
      seconds: SECONDS,
      request: {
        method: "POST",
        path: "/auth/sign-in",
        body: JSON.stringify({ email: account.email, password: BENCH_PASSWORD }),
      },
    }),
    load({
      baseUrl: payme.baseUrl,
      connections: 1,
      expectStatus: 200,
      seconds: SECONDS,
      request: { method: "GET", path: "/health" },
    }),
  ]);
  return { signIn, health };
}

async function main(): Promise<void> {
  console.log(`PayMe bench: ${SECONDS} s per timed run, ${CONNECTIONS} connections unless noted\n`);
  const rows: Row[] = [];

  const hono = await bareHonoBaseline();
  rows.push({ row: "Baseline: bare Hono route on @hono/node-server", figures: rate(hono, "req/s") });

  const database = await scratchDatabase();
  const simulator = await startSimulatorProcess();
  let payme: PayMeProcess | null = null;
  try {
    payme = await startPayMeProcess({
      databaseUrl: database.url,
      simulatorUrl: simulator.url,
      nodeFlags: PROFILE_DIR === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`],
    });

    const raw = await rawSettlementBaseline({
      databaseUrl: database.url,
      payments: RAW_PAYMENTS,
      concurrency: CONNECTIONS,
      poolSize: POOL_SIZE,
    });
    rows.push({
      row: "Baseline: settlement transaction in plain pg (lock, update, insert ledger)",
      figures: `${fixed(raw.perSecond)} tx/s (${raw.settled} in ${fixed(raw.seconds, 1)} s, pool of ${POOL_SIZE})`,
    });

    const buyer = await signUp(payme.baseUrl, "buyer");
    const checkoutIds: string[] = [];
    const initiation = await walletInitiation(payme, buyer, checkoutIds);

    const settlement = await callbackSettlement(payme, simulator, database, checkoutIds);
    const ratio = settlement.perSecond / raw.perSecond;
    rows.push({
      row: "Callback settlement: distinct successful callbacks for pending purchases",
      figures: `${fixed(settlement.perSecond)} settled/s (${settlement.committed} committed), p50 ${ms(settlement.figures.p50Ms)}, p99 ${ms(settlement.figures.p99Ms)}${cpu(settlement.figures)}, ${fixed(ratio * 100)}% of raw SQL${unexpected(settlement.figures)}`,
      target: "≥ 1,000 settled/s · p99 < 50 ms · ≥ 50% of raw SQL",
      met: [settlement.perSecond >= 1_000, settlement.figures.p99Ms < 50, ratio >= 0.5],
    });
    rows.push({
      row: "Wallet initiation, push accepted by the simulator",
      figures: rate(initiation, "req/s"),
      target: "≥ 500 req/s",
      met: initiation.perSecond >= 500,
    });

    const sales = await saleInitiation(payme);
    rows.push({
      row: `Sale initiation, 3 items (of ${CATALOG}) with stock reservation`,
      figures: rate(sales, "req/s"),
      target: "≥ 500 req/s",
      met: sales.perSecond >= 500,
    });

    const storm = await signInStorm(payme, buyer);
    rows.push({
      row: "Sign-in (16 connections), and /health during the storm",
      figures: `${fixed(storm.signIn.perSecond)} sign-ins/s, p99 ${ms(storm.signIn.p99Ms)}${cpu(storm.signIn)}${unexpected(storm.signIn)}; /health p50 ${ms(storm.health.p50Ms)}, p99 ${ms(storm.health.p99Ms)}`,
      target: "/health p99 < 20 ms",
      met: storm.health.p99Ms < 20,
    });

    const peak = payme.peakRssMb();
    rows.push({
      row: "Server peak memory",
      figures: `${fixed(peak)} MB RSS`,
      target: "< 250 MB",
      met: peak < 250,
    });
  } finally {
    await payme?.stop();
    payme?.cleanup();
    await simulator.stop();
    await database.drop();
  }
  printTable(rows);
}

await main();

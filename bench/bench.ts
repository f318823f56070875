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
import { batchedSettlementBaseline, pgbenchBaseline, rawSettlementBaseline } from "./lib/raw-settlement.ts";
import { printTable, type Row } from "./lib/table.ts";

/**
 * `npm run bench`: PayMe on PostgreSQL, the Daraja simulator in a process of its own, driven by autocannon, beside
 * two baselines measured in the same run on the same machine. It prints one table, with the targets beside the
 * figures; a missed target is reported, never a failure. BENCH_SECONDS (default 8) sets each timed run's length,
 * BENCH_PURCHASES (default 3,000) the wallet pushes initiated and then settled;
 * BENCH_PROFILE_DIR has the server write a CPU profile there; BENCH_RUNS (default 1; 3 for the README's figures)
 * repeats the whole bench and prints the median of each figure. PGBENCH names pgbench when it is not in
 * /usr/lib/postgresql/<major>/bin.
 */

const SECONDS = Number(process.env.BENCH_SECONDS ?? "8");
const CONNECTIONS = 64;
/** PayMe's own pool size (src/adapters/persistence/database.ts), used by the raw-SQL baseline too. */
const POOL_SIZE = 10;
const RAW_PAYMENTS = 10_000;
/** Payments per transaction in the batched raw-SQL baseline. */
const RAW_BATCH = 64;
const PGBENCH_CLIENTS = 16;
/** Wallet pushes (and their callbacks) in the PGlite memory walk-through. */
const PGLITE_PURCHASES = 1_000;
const RUNS = Math.max(1, Math.trunc(Number(process.env.BENCH_RUNS ?? "1")));
/** Products in the shop whose sales are measured. */
const CATALOG = 60;
/** Wallet pushes sent in the initiation run; each leaves a pending purchase for the settlement run. */
const PURCHASES = Number(process.env.BENCH_PURCHASES ?? "3000");
/** BENCH_PROFILE_DIR: where the server writes a CPU profile of the whole run (open it in Chrome's DevTools). */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;

const fixed = (value: number, digits = 0) => value.toFixed(digits);
const ms = (value: number) => `${fixed(value, value < 10 ? 1 : 0)} ms`;
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
  amount: number,
  connections: number,
): Promise<LoadFigures> {
  let n = 0;
  return load({
    baseUrl: payme.baseUrl,
    cpuSeconds: payme.cpuSeconds,
    connections,
    expectStatus: 202,
    amount,
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
  /** Where the settled purchases are counted; null (PGlite) counts the answers. */
  database: ScratchDatabase | null,
  checkoutIds: readonly string[],
  connections: number,
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
    connections,
    expectStatus: 200,
    amount: callbacks.length,
    next: () => {
      const callback = callbacks[next++];
      return callback === undefined ? null : { method: "POST", path: callback.path, body: callback.body };
    },
  });
  if (database === null) {
    return { figures, committed: figures.ok, perSecond: figures.perSecond };
  }
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
async function saleInitiation(
  payme: PayMeProcess,
  run: { readonly seconds: number; readonly connections: number },
): Promise<LoadFigures> {
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
    connections: run.connections,
    expectStatus: 202,
    seconds: run.seconds,
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

/** One run's figures, each a number, so that several runs give a median of each. */
type Figures = {
  hono: number;
  honoP99: number;
  raw: number;
  pgbench: number | null;
  batched: number;
  settled: number;
  settledCommitted: number;
  settleP50: number;
  settleP99: number;
  settleCpu: number | null;
  wallet: number;
  walletP99: number;
  walletCpu: number | null;
  sale: number;
  saleP99: number;
  saleCpu: number | null;
  signIn: number;
  healthP99: number;
  rssPostgres: number;
  rssPglite: number | null;
  unexpected: string;
};

/**
 * PGlite mode (`npm start` without DATABASE_URL): a walk-through of a shop's day on the embedded database
 * (sign-ups, wallet pushes and their callbacks, a till and its sales), then the server's peak RSS.
 */
async function pgliteMemory(simulator: SimulatorProcess): Promise<number | null> {
  const payme = await startPayMeProcess({
    databaseUrl: null,
    simulatorUrl: simulator.url,
    readyTimeoutMs: 300_000,
  }).catch((error: unknown) => {
    console.error(`PGlite mode not measured: ${String(error).slice(0, 500)}`);
    return null;
  });
  if (payme === null) {
    return null;
  }
  try {
    const buyer = await signUp(payme.baseUrl, "buyer");
    const checkoutIds: string[] = [];
    await walletInitiation(payme, buyer, checkoutIds, PGLITE_PURCHASES, 16);
    await callbackSettlement(payme, simulator, null, checkoutIds, 16);
    await saleInitiation(payme, { seconds: 2, connections: 16 });
    return payme.peakRssMb();
  } finally {
    await payme.stop();
    payme.cleanup();
  }
}

async function measure(): Promise<Figures> {
  const hono = await bareHonoBaseline();
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
    const pgbench = await pgbenchBaseline({
      databaseUrl: database.url,
      clients: PGBENCH_CLIENTS,
      perClient: Math.ceil(RAW_PAYMENTS / PGBENCH_CLIENTS),
    });
    const batched = await batchedSettlementBaseline({
      databaseUrl: database.url,
      payments: RAW_PAYMENTS,
      batch: RAW_BATCH,
      poolSize: POOL_SIZE,
    });

    const buyer = await signUp(payme.baseUrl, "buyer");
    const checkoutIds: string[] = [];
    const initiation = await walletInitiation(payme, buyer, checkoutIds, PURCHASES, CONNECTIONS);
    const settlement = await callbackSettlement(payme, simulator, database, checkoutIds, CONNECTIONS);
    const sales = await saleInitiation(payme, { seconds: SECONDS, connections: CONNECTIONS });
    const storm = await signInStorm(payme, buyer);
    const rssPostgres = payme.peakRssMb();
    await payme.stop();
    const rssPglite = await pgliteMemory(simulator);
    return {
      hono: hono.perSecond,
      honoP99: hono.p99Ms,
      raw: raw.perSecond,
      pgbench: pgbench?.perSecond ?? null,
      batched: batched.perSecond,
      settled: settlement.perSecond,
      settledCommitted: settlement.committed,
      settleP50: settlement.figures.p50Ms,
      settleP99: settlement.figures.p99Ms,
      settleCpu: settlement.figures.cpuMsEach,
      wallet: initiation.perSecond,
      walletP99: initiation.p99Ms,
      walletCpu: initiation.cpuMsEach,
      sale: sales.perSecond,
      saleP99: sales.p99Ms,
      saleCpu: sales.cpuMsEach,
      signIn: storm.signIn.perSecond,
      healthP99: storm.health.p99Ms,
      rssPostgres,
      rssPglite,
      unexpected: [settlement.figures, initiation, sales, storm.signIn].map(unexpected).join(""),
    };
  } finally {
    await payme?.stop();
    payme?.cleanup();
    await simulator.stop();
    await database.drop();
  }
}

/** The median of each figure over the runs (the middle one of 3). */
function median(runs: readonly Figures[]): Figures {
  const middle = <T extends number | null>(values: readonly T[]): T => {
    const numbers = values.filter((v): v is NonNullable<T> => v !== null).sort((a, b) => a - b);
    return (numbers.length === 0 ? null : numbers[Math.floor((numbers.length - 1) / 2)]) as T;
  };
  const first = runs[0] as Figures;
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(first) as (keyof Figures)[]) {
    result[key] =
      key === "unexpected"
        ? runs.map((r) => r.unexpected).join("")
        : middle(runs.map((r) => r[key] as number | null));
  }
  return result as Figures;
}

const share = (part: number, whole: number | null) => (whole === null || whole === 0 ? null : part / whole);
const percent = (ratio: number | null) => (ratio === null ? "n/a" : `${fixed(ratio * 100)}%`);
const cpuEach = (value: number | null) => (value === null ? "" : `, ${fixed(value, 2)} ms server CPU each`);

function rowsOf(f: Figures): Row[] {
  const ofRaw = share(f.settled, f.raw);
  const ofPgbench = share(f.settled, f.pgbench);
  const ofBatched = share(f.settled, f.batched);
  return [
    {
      row: "Baseline: bare Hono route on @hono/node-server",
      figures: `${fixed(f.hono)} req/s, p99 ${ms(f.honoP99)}`,
    },
    {
      row: "Baseline: settlement transaction in plain pg (lock, update, insert ledger; pool of 10, 64 at once)",
      figures: `${fixed(f.raw)} tx/s`,
    },
    {
      row: `Baseline: the same transaction in pgbench, ${PGBENCH_CLIENTS} clients`,
      figures: f.pgbench === null ? "pgbench not found (set PGBENCH)" : `${fixed(f.pgbench)} tx/s`,
    },
    {
      row: `Baseline: the same work batched in raw SQL, ${RAW_BATCH} payments per transaction`,
      figures: `${fixed(f.batched)} payments/s`,
    },
    {
      row: "Callback settlement: distinct successful callbacks for pending purchases, 64 connections",
      figures: `${fixed(f.settled)} settled/s (${f.settledCommitted} committed), p50 ${ms(f.settleP50)}, p99 ${ms(f.settleP99)}${cpuEach(f.settleCpu)}; ${percent(ofRaw)} of plain pg, ${percent(ofPgbench)} of pgbench, ${percent(ofBatched)} of batched SQL`,
      target: "≥ 100% of plain pg · ≥ 50% of pgbench · p99 < 50 ms · ≤ 0.5 ms CPU each",
      met: [
        ofRaw !== null && ofRaw >= 1,
        ofPgbench !== null && ofPgbench >= 0.5,
        f.settleP99 < 50,
        f.settleCpu !== null && f.settleCpu <= 0.5,
      ],
    },
    {
      row: "Wallet initiation, push accepted by the simulator",
      figures: `${fixed(f.wallet)} req/s, p99 ${ms(f.walletP99)}${cpuEach(f.walletCpu)}`,
      target: "≥ 600 req/s",
      met: f.wallet >= 600,
    },
    {
      row: `Sale initiation, 3 items (of ${CATALOG}) with stock reservation`,
      figures: `${fixed(f.sale)} req/s, p99 ${ms(f.saleP99)}${cpuEach(f.saleCpu)}`,
      target: "≥ 500 req/s",
      met: f.sale >= 500,
    },
    {
      row: "Sign-in (16 connections), and /health during the storm",
      figures: `${fixed(f.signIn)} sign-ins/s; /health p99 ${ms(f.healthP99)}`,
      target: "/health p99 < 20 ms",
      met: f.healthP99 < 20,
    },
    {
      row: "Server peak memory, PostgreSQL mode (after every run above)",
      figures: `${fixed(f.rssPostgres)} MB RSS`,
      target: "< 250 MB",
      met: f.rssPostgres < 250,
    },
    {
      row: `Server peak memory, PGlite mode (${PGLITE_PURCHASES} wallet pushes and callbacks, 2 s of sales)`,
      figures: f.rssPglite === null ? "not measured (see above)" : `${fixed(f.rssPglite)} MB RSS`,
      target: "< 300 MB",
      met: f.rssPglite !== null && f.rssPglite < 300,
    },
  ];
}

async function main(): Promise<void> {
  console.log(
    `PayMe bench: ${SECONDS} s per timed run, ${CONNECTIONS} connections unless noted, ${RUNS === 1 ? "one run" : `median of ${RUNS} runs`}\n`,
  );
  const runs: Figures[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    const figures = await measure();
    runs.push(figures);
    if (RUNS > 1) {
      console.log(`run ${run} of ${RUNS}:`);
      printTable(rowsOf(figures));
      console.log("");
    }
  }
  const result = median(runs);
  if (result.unexpected !== "") {
    console.log(`unexpected answers:${result.unexpected}\n`);
  }
  if (RUNS > 1) {
    console.log(`median of ${RUNS} runs:`);
  }
  printTable(rowsOf(result));
}

await main();

import { spawn } from "node:child_process";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inPool } from "./drills/load.ts";

/**
 * The bench's baselines for settlement: the settlement transaction with nothing around it. Each locks one pending
 * payment row by its callback token hash, marks it paid and inserts its ledger entry, on the same database as
 * PayMe. Copies of PayMe's own tables (`like … including all`: same columns, checks, unique constraints and
 * indexes) are used, so PayMe's rows are left alone.
 * - `rawSettlementBaseline`: one transaction per payment in plain `pg`, 4 round trips each;
 * - `pgbenchBaseline`: the same transaction run by PostgreSQL's own pgbench (C, libpq), 16 clients;
 * - `batchedSettlementBaseline`: the same work for 64 payments per transaction, one multi-row statement each:
 *   the ceiling group commit aims at.
 */
export type Baseline = { readonly settled: number; readonly seconds: number; readonly perSecond: number };

/** The copies of the tables with `payments` pending purchases, token hashes `hash-<key>` for each key. */
async function benchTables(pool: pg.Pool, keys: string): Promise<void> {
  await pool.query(`
    drop table if exists bench_wallet_purchases, bench_wallet_ledger_entries;
    create table bench_wallet_purchases (like wallet_purchases including all);
    create table bench_wallet_ledger_entries (like wallet_ledger_entries including all);
    insert into bench_wallet_purchases
      (id, status, amount, phone, checkout_request_id, callback_token_hash, needs_attention, created_at, user_id, tokens)
      select gen_random_uuid(), 'pending', 10, '254700000005', 'ws_CO_bench_' || n, 'hash-' || n, false, now(),
        gen_random_uuid(), 10
      from (${keys}) as keys (n);
    analyze bench_wallet_purchases;`);
}

async function dropBenchTables(pool: pg.Pool): Promise<void> {
  await pool
    .query("drop table if exists bench_wallet_purchases, bench_wallet_ledger_entries")
    .catch(() => undefined);
}

async function transaction(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    await work(client);
    await client.query("commit");
  } catch (error) {
    await client.query("rollback");
    throw error;
  } finally {
    client.release();
  }
}

export async function rawSettlementBaseline(options: {
  readonly databaseUrl: string;
  readonly payments: number;
  readonly concurrency: number;
  readonly poolSize: number;
}): Promise<Baseline> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize });
  try {
    await benchTables(pool, `select generate_series(1, ${options.payments})`);
    let settled = 0;
    const settleOne = (n: number) =>
      transaction(pool, async (client) => {
        const locked = await client.query<{ id: string; user_id: string; tokens: number }>(
          `select id, user_id, tokens from bench_wallet_purchases
            where callback_token_hash = $1 and status = 'pending' for update`,
          [`hash-${n}`],
        );
        const row = locked.rows[0];
        if (row !== undefined) {
          await client.query(
            `update bench_wallet_purchases
                set status = 'paid', mpesa_receipt = $2, result_code = '0', completed_at = now()
              where id = $1`,
            [row.id, `RB${String(n).padStart(8, "0")}`],
          );
          await client.query(
            `insert into bench_wallet_ledger_entries (id, user_id, kind, tokens, source, created_at)
             values (gen_random_uuid(), $1, 'purchase_credit', $2, $3, now())`,
            [row.user_id, row.tokens, row.id],
          );
          settled += 1;
        }
      });
    const started = performance.now();
    await inPool(
      Array.from({ length: options.payments }, (_, i) => i + 1),
      options.concurrency,
      settleOne,
    );
    const seconds = (performance.now() - started) / 1000;
    return { settled, seconds, perSecond: settled / seconds };
  } finally {
    await dropBenchTables(pool);
    await pool.end();
  }
}

/** The same work for `batch` payments per transaction: one locking read in id order, one update, one insert. */
export async function batchedSettlementBaseline(options: {
  readonly databaseUrl: string;
  readonly payments: number;
  readonly batch: number;
  readonly poolSize: number;
}): Promise<Baseline> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize });
  try {
    await benchTables(pool, `select generate_series(1, ${options.payments})`);
    const batches: number[][] = [];
    for (let first = 1; first <= options.payments; first += options.batch) {
      batches.push(
        Array.from({ length: Math.min(options.batch, options.payments - first + 1) }, (_, i) => first + i),
      );
    }
    let settled = 0;
    const settleBatch = (keys: number[]) =>
      transaction(pool, async (client) => {
        const locked = await client.query<{ id: string; user_id: string; tokens: number; hash: string }>(
          `select id, user_id, tokens, callback_token_hash as hash from bench_wallet_purchases
            where callback_token_hash = any($1::text[]) and status = 'pending' order by id for update`,
          [keys.map((n) => `hash-${n}`)],
        );
        const rows = locked.rows;
        await client.query(
          `update bench_wallet_purchases as p
              set status = 'paid', mpesa_receipt = v.receipt, result_code = '0', completed_at = now()
             from unnest($1::uuid[], $2::text[]) as v (id, receipt) where p.id = v.id`,
          [rows.map((r) => r.id), rows.map((r) => `RB${r.hash.slice(5).padStart(8, "0")}`)],
        );
        await client.query(
          `insert into bench_wallet_ledger_entries (id, user_id, kind, tokens, source, created_at)
           select gen_random_uuid(), v.user_id, 'purchase_credit', v.tokens, v.source, now()
             from unnest($1::uuid[], $2::int[], $3::text[]) as v (user_id, tokens, source)`,
          [rows.map((r) => r.user_id), rows.map((r) => r.tokens), rows.map((r) => r.id)],
        );
        settled += rows.length;
      });
    const started = performance.now();
    await inPool(batches, options.poolSize, settleBatch);
    const seconds = (performance.now() - started) / 1000;
    return { settled, seconds, perSecond: settled / seconds };
  } finally {
    await dropBenchTables(pool);
    await pool.end();
  }
}

/** pgbench from the PostgreSQL packages (Debian keeps it in /usr/lib/postgresql/<major>/bin), or PGBENCH. */
export function findPgbench(): string | null {
  if (process.env.PGBENCH !== undefined) {
    return process.env.PGBENCH;
  }
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root) ? readdirSync(root).sort((x, y) => Number(y) - Number(x)) : [];
  const found = majors.map((major) => `${root}/${major}/bin/pgbench`).find((path) => existsSync(path));
  return found ?? null;
}

/**
 * The same transaction in pgbench: `clients` connections, each settling its own `perClient` payments (client c's
 * k-th is `hash-<c * 1,000,000 + k>`), extended query protocol as node-postgres uses. Null when there is no
 * pgbench.
 */
export async function pgbenchBaseline(options: {
  readonly databaseUrl: string;
  readonly clients: number;
  readonly perClient: number;
}): Promise<Baseline | null> {
  const pgbench = findPgbench();
  if (pgbench === null) {
    return null;
  }
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 1 });
  const script = join(tmpdir(), `payme-pgbench-${process.pid}.sql`);
  try {
    await benchTables(
      pool,
      `select c * 1000000 + k from generate_series(0, ${options.clients - 1}) as c, generate_series(1, ${options.perClient}) as k`,
    );
    writeFileSync(
      script,
      [
        "\\set k :k + 1",
        "\\set n :client_id * 1000000 + :k",
        "BEGIN;",
        "SELECT id AS pid, user_id AS uid, tokens AS tok FROM bench_wallet_purchases WHERE callback_token_hash = 'hash-' || :n AND status = 'pending' FOR UPDATE \\gset",
        "UPDATE bench_wallet_purchases SET status = 'paid', mpesa_receipt = 'RB' || lpad(:n::text, 8, '0'), result_code = '0', completed_at = now() WHERE id = :pid;",
        "INSERT INTO bench_wallet_ledger_entries (id, user_id, kind, tokens, source, created_at) VALUES (gen_random_uuid(), :uid, 'purchase_credit', :tok, :pid, now());",
        "COMMIT;",
        "",
      ].join("\n"),
    );
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        pgbench,
        [
          "--no-vacuum",
          "--protocol=extended",
          `--client=${options.clients}`,
          "--jobs=2",
          `--transactions=${options.perClient}`,
          "--define=k=0",
          `--file=${script}`,
          options.databaseUrl,
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      child.once("error", reject);
      child.once("exit", (code) =>
        code === 0 ? resolve(text) : reject(new Error(`pgbench exited with ${code}: ${text.slice(-2000)}`)),
      );
    });
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1];
    const [counted] = (
      await pool.query<{ paid: string }>(
        "select count(*) as paid from bench_wallet_purchases where status = 'paid'",
      )
    ).rows;
    const settled = Number(counted?.paid ?? 0);
    if (tps === undefined || settled !== options.clients * options.perClient) {
      throw new Error(
        `pgbench settled ${settled} of ${options.clients * options.perClient}: ${output.slice(-2000)}`,
      );
    }
    const perSecond = Number(tps);
    return { settled, seconds: settled / perSecond, perSecond };
  } finally {
    rmSync(script, { force: true });
    await dropBenchTables(pool);
    await pool.end();
  }
}

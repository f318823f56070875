import pg from "pg";
import { inPool } from "./drills/load.ts";

/**
 * The bench's second baseline: the settlement transaction with nothing around it. In plain `pg`, on the same
 * database as PayMe, each transaction locks one pending payment row by its callback token hash, marks it paid
 * and inserts its ledger entry. Copies of PayMe's own tables (`like … including all`: same columns, checks,
 * unique constraints and indexes) are used, so PayMe's rows are left alone.
 */
export async function rawSettlementBaseline(options: {
  readonly databaseUrl: string;
  readonly payments: number;
  readonly concurrency: number;
  readonly poolSize: number;
}): Promise<{ readonly settled: number; readonly seconds: number; readonly perSecond: number }> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize });
  try {
    await pool.query(`
      drop table if exists bench_wallet_purchases, bench_wallet_ledger_entries;
      create table bench_wallet_purchases (like wallet_purchases including all);
      create table bench_wallet_ledger_entries (like wallet_ledger_entries including all);
      insert into bench_wallet_purchases
        (id, status, amount, phone, checkout_request_id, callback_token_hash, needs_attention, created_at, user_id, tokens)
        select gen_random_uuid(), 'pending', 10, '254700000005', 'ws_CO_bench_' || n, 'hash-' || n, false, now(),
          gen_random_uuid(), 10
        from generate_series(1, ${options.payments}) as n;
      analyze bench_wallet_purchases;`);

    let settled = 0;
    const settleOne = async (n: number) => {
      const client = await pool.connect();
      try {
        await client.query("begin");
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
        }
        await client.query("commit");
        if (row !== undefined) {
          settled += 1;
        }
      } catch (error) {
        await client.query("rollback");
        throw error;
      } finally {
        client.release();
      }
    };
    const started = performance.now();
    await inPool(
      Array.from({ length: options.payments }, (_, i) => i + 1),
      options.concurrency,
      settleOne,
    );
    const seconds = (performance.now() - started) / 1000;
    return { settled, seconds, perSecond: settled / seconds };
  } finally {
    await pool
      .query("drop table if exists bench_wallet_purchases, bench_wallet_ledger_entries")
      .catch(() => undefined);
    await pool.end();
  }
}

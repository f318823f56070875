import {
  type Account,
  call,
  cancelledCallbackBody,
  expectStatus,
  paidCallbackBody,
  payerPhone,
  signUp,
} from "../api.ts";
import { adminQuery } from "../postgres.ts";
import { sleep } from "../processes.ts";
import { inPool } from "./load.ts";
import { type Check, check, type DrillReport, say } from "./report.ts";
import type { Stage } from "./stage.ts";

/** The final state a drill decides a payment ends in, by the callback it delivers. */
export type Outcome = "paid" | "cancelled";

/** A pending wallet purchase, and the one callback the drill will deliver for it (as often as it likes). */
export type PlannedPurchase = {
  readonly id: string;
  readonly buyer: Account;
  readonly tokens: number;
  readonly outcome: Outcome;
  readonly callbackUrl: string;
  readonly callbackBody: string;
};

/** The simulator's "cancelled by the user" number: an STK Query would agree with the cancelled callback. */
const CANCELLING_PHONE = "254700000001";

/**
 * `count` pending wallet purchases spread over `buyers` new users, with varied amounts; one in every
 * `cancelledEvery` is planned to be cancelled, the rest paid, so that "paid" is a strict subset.
 */
export async function openPurchases(
  stage: Stage,
  options: { count: number; buyers: number; cancelledEvery: number },
): Promise<PlannedPurchase[]> {
  const { baseUrl } = stage.payme;
  const buyers = await inPool(Array.from({ length: options.buyers }), 4, () => signUp(baseUrl, "drill"));
  const opened = await inPool(Array.from({ length: options.count }), 8, async (_, i) => {
    const buyer = buyers[i % buyers.length] as Account;
    const outcome: Outcome = i % options.cancelledEvery === options.cancelledEvery - 1 ? "cancelled" : "paid";
    const phone = outcome === "cancelled" ? CANCELLING_PHONE : payerPhone(i);
    const { purchase } = expectStatus(
      await call<{ purchase: { id: string; checkoutRequestId: string; tokens: number } }>(
        baseUrl,
        "POST",
        "/api/wallet-payment/initiate",
        { token: buyer.token, body: { phone, amount: 10 + (i % 90) } },
      ),
      202,
      "wallet purchase",
    );
    return { purchase, buyer, outcome };
  });
  const checkouts = new Map(
    (await stage.simulator.checkouts(opened.map((o) => o.purchase.checkoutRequestId))).map((c) => [
      c.checkoutRequestId,
      c,
    ]),
  );
  return opened.map(({ purchase, buyer, outcome }) => {
    const checkout = checkouts.get(purchase.checkoutRequestId);
    if (checkout === undefined) {
      throw new Error(`the simulator has no checkout ${purchase.checkoutRequestId}`);
    }
    return {
      id: purchase.id,
      buyer,
      tokens: purchase.tokens,
      outcome,
      callbackUrl: checkout.callbackUrl,
      callbackBody: outcome === "paid" ? paidCallbackBody(checkout) : cancelledCallbackBody(checkout),
    };
  });
}

/**
 * Waits until no wallet purchase (of `ids`, when given) is pending and the spool is empty, or `timeoutMs` passed.
 * True if it settled; the audit that follows says what did not.
 */
export async function untilWalletSettled(
  stage: Stage,
  timeoutMs: number,
  ids: readonly string[] | null = null,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await adminQuery<{ pending: number }>(
      stage.databaseUrl,
      `select count(*)::int as pending from wallet_purchases
        where status = 'pending' and ($1::uuid[] is null or id = any($1::uuid[]))`,
      [ids],
    ).catch(() => [{ pending: -1 }]);
    if (row?.pending === 0 && stage.spooled() === 0) {
      return true;
    }
    await sleep(250);
  }
  return false;
}

type PurchaseRow = { id: string; status: string; tokens: number; entries: number; credited: number };

export type WalletAudit = { readonly lost: number; readonly doubled: number; readonly checks: Check[] };

/**
 * Compares the database (read-only) and the users' wallets (through the API) with what was delivered:
 * - lost: a purchase not in the state its callback says, or paid without its ledger credit;
 * - doubled: a purchase credited more than once, a credit for a purchase that is not paid, a credit with no
 *   purchase behind it;
 * and checks that the credits add up to the paid purchases' tokens exactly, that each buyer's balance is
 * theirs to the token, that nothing is left pending and that the spool is empty.
 */
export async function auditWallet(stage: Stage, planned: readonly PlannedPurchase[]): Promise<WalletAudit> {
  const rows = await adminQuery<PurchaseRow>(
    stage.databaseUrl,
    `select p.id::text as id, p.status, p.tokens, count(l.id)::int as entries,
            coalesce(sum(l.tokens), 0)::int as credited
       from wallet_purchases p
       left join wallet_ledger_entries l on l.source = 'wallet_purchase:' || p.id::text
      group by p.id`,
  );
  const [orphans] = await adminQuery<{ count: number }>(
    stage.databaseUrl,
    `select count(*)::int as count from wallet_ledger_entries l
      where not exists (select 1 from wallet_purchases p where l.source = 'wallet_purchase:' || p.id::text)`,
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  let lost = 0;
  for (const purchase of planned) {
    const row = byId.get(purchase.id);
    if (
      row === undefined ||
      row.status !== purchase.outcome ||
      (row.status === "paid" && row.entries === 0)
    ) {
      lost += 1;
    }
  }
  const doubled =
    rows.reduce((sum, row) => sum + (row.status === "paid" ? Math.max(0, row.entries - 1) : row.entries), 0) +
    (orphans?.count ?? 0);

  const paidTokens = planned.filter((p) => p.outcome === "paid").reduce((sum, p) => sum + p.tokens, 0);
  const credited = rows.reduce((sum, row) => sum + row.credited, 0);
  const wrongBalances = await buyersWithWrongBalance(stage, planned);
  const pending = rows.filter((row) => row.status === "pending").length;
  const paid = rows.filter((row) => row.status === "paid").length;
  return {
    lost,
    doubled,
    checks: [
      check(
        "credits exact",
        credited === paidTokens,
        `${credited} tokens credited for ${paid} paid purchases, ${paidTokens} expected`,
      ),
      check("balances", wrongBalances.length === 0, `${wrongBalances.length} buyers' balances are wrong`),
      check("none pending", pending === 0, `${pending} pending`),
      check("spool empty", stage.spooled() === 0, `${stage.spooled()} callbacks still spooled`),
    ],
  };
}

/** The buyers whose `GET /api/wallet` balance is not the sum of their paid purchases' tokens. */
async function buyersWithWrongBalance(stage: Stage, planned: readonly PlannedPurchase[]): Promise<Account[]> {
  const expected = new Map<Account, number>();
  for (const purchase of planned) {
    const paid = purchase.outcome === "paid" ? purchase.tokens : 0;
    expected.set(purchase.buyer, (expected.get(purchase.buyer) ?? 0) + paid);
  }
  const wrong: Account[] = [];
  for (const [buyer, balance] of expected) {
    const wallet = await call<{ balance: number }>(stage.payme.baseUrl, "GET", "/api/wallet", {
      token: buyer.token,
    });
    if (wallet.status !== 200 || wallet.body.balance !== balance) {
      wrong.push(buyer);
    }
  }
  return wrong;
}

/** Prints a wallet audit's verdict and makes the drill's report: the drill's own checks, then the audit's. */
export function walletReport(
  drill: string,
  what: string,
  audit: WalletAudit,
  checks: readonly Check[],
): DrillReport {
  say(drill, `lost ${audit.lost}, doubled ${audit.doubled}; ${audit.checks.map((c) => c.detail).join("; ")}`);
  return { drill, what, lost: audit.lost, doubled: audit.doubled, checks: [...checks, ...audit.checks] };
}

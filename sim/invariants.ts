import type { StkPaymentState } from "../src/domain/stk-payment.ts";
import type { FakeMpesa, PaidEvidence } from "./fake-mpesa.ts";
import type { World } from "./world.ts";

export type PaymentKind = "wallet_purchase" | "sale" | "config_verification" | "payout";

/** A payment as the checks compare it from one step to the next. */
export type PaymentView = {
  readonly kind: PaymentKind;
  readonly id: string;
  readonly status: string;
  readonly blocking: boolean;
  /** Failed by PayMe alone from a refused request, so that a definitive success may still complete it. */
  readonly failedLocally: boolean;
};

/** A payment that moved during a step (or was created: `from` null). */
export type StatusChange = {
  readonly kind: PaymentKind;
  readonly id: string;
  readonly from: string | null;
  readonly to: string;
};

/**
 * What a check sees after a step. `changes` lists every status change of the step, so that a check of the outbox
 * (exactly one event per state change of a sale, payout or config) can be added beside the others.
 */
export type CheckContext = {
  readonly world: World;
  readonly mpesa: FakeMpesa;
  /** Definitive successes with the right amount that PayMe heard in steps that completed. */
  readonly evidence: readonly PaidEvidence[];
  readonly initialStock: ReadonlyMap<string, number>;
  /** Each product's stock changes by restocks (UpdateProduct), summed. */
  readonly restocks: ReadonlyMap<string, number>;
  readonly before: ReadonlyMap<string, PaymentView>;
  readonly after: ReadonlyMap<string, PaymentView>;
  readonly changes: readonly StatusChange[];
};

export type Invariant = { readonly name: string; check(context: CheckContext): string[] };

const failedLocally = (row: { status: string; pushOutcome: string | null; resultCode: string | null }) =>
  row.status === "failed" && row.pushOutcome === "refused" && row.resultCode === null;

const stkView = (kind: PaymentKind, row: StkPaymentState): PaymentView => ({
  kind,
  id: row.id,
  status: row.status,
  blocking: row.needsAttention && row.attentionBlocking,
  failedLocally: failedLocally(row),
});

/** Every payment of every kind, by `kind:id`. */
export function paymentViews(world: World): Map<string, PaymentView> {
  const views = new Map<string, PaymentView>();
  const { tables } = world;
  for (const row of tables.walletPurchases.values())
    views.set(`wallet_purchase:${row.id}`, stkView("wallet_purchase", row));
  for (const row of tables.sales.values()) views.set(`sale:${row.id}`, stkView("sale", row));
  for (const row of tables.configVerifications.values())
    views.set(`config_verification:${row.id}`, stkView("config_verification", row));
  for (const row of tables.payouts.values())
    views.set(`payout:${row.id}`, {
      kind: "payout",
      id: row.id,
      status: row.status,
      blocking: false,
      failedLocally: failedLocally(row),
    });
  return views;
}

export function statusChanges(
  before: ReadonlyMap<string, PaymentView>,
  after: ReadonlyMap<string, PaymentView>,
): StatusChange[] {
  const changes: StatusChange[] = [];
  for (const [key, view] of after) {
    const previous = before.get(key);
    if (previous === undefined || previous.status !== view.status) {
      changes.push({ kind: view.kind, id: view.id, from: previous?.status ?? null, to: view.status });
    }
  }
  return changes;
}

/** The transitions the domain's state tables allow (StkPayment, Payout): `from → to`. */
const STK_MOVES = new Set([
  "pending>paid",
  "pending>cancelled",
  "pending>failed",
  "pending>expired",
  "expired>paid",
]);
const PAYOUT_MOVES = new Set(["pending>completed", "pending>failed"]);

export const INVARIANTS: readonly Invariant[] = [
  {
    name: "payments move only along the state table",
    check({ before, after }) {
      const problems: string[] = [];
      for (const [key, previous] of before) {
        const now = after.get(key);
        if (now === undefined) {
          problems.push(`${key} vanished (it was ${previous.status})`);
          continue;
        }
        if (now.status === previous.status) {
          if (previous.blocking && !now.blocking) problems.push(`${key} lost its blocking flag`);
          continue;
        }
        const move = `${previous.status}>${now.status}`;
        const success = previous.kind === "payout" ? "completed" : "paid";
        const allowed =
          (previous.kind === "payout" ? PAYOUT_MOVES : STK_MOVES).has(move) ||
          (previous.status === "failed" && now.status === success && previous.failedLocally);
        if (!allowed)
          problems.push(`${key} moved ${previous.status} → ${now.status}, which the state table forbids`);
        if (previous.blocking)
          problems.push(`${key} moved ${previous.status} → ${now.status} under a blocking flag`);
      }
      for (const [key, now] of after) {
        if (!before.has(key) && now.status !== "pending" && now.status !== "failed")
          problems.push(`${key} appeared ${now.status}`);
      }
      return problems;
    },
  },
  {
    name: "the wallet ledger equals the paid purchases' tokens",
    check({ world }) {
      const problems: string[] = [];
      const entries = new Map<string, number>();
      const balances = new Map<string, number>();
      for (const entry of world.tables.walletLedger.values()) {
        entries.set(entry.source, (entries.get(entry.source) ?? 0) + 1);
        balances.set(entry.userId, (balances.get(entry.userId) ?? 0) + entry.tokens);
        const purchase = world.tables.walletPurchases.get(entry.source.replace(/^wallet_purchase:/, ""));
        if (purchase?.status !== "paid")
          problems.push(
            `ledger entry ${entry.id} credits ${entry.source}, which is ${purchase?.status ?? "missing"}`,
          );
        else if (purchase.tokens !== entry.tokens)
          problems.push(`ledger entry ${entry.id} credits ${entry.tokens}, not ${purchase.tokens}`);
      }
      const owed = new Map<string, number>();
      for (const purchase of world.tables.walletPurchases.values()) {
        const count = entries.get(`wallet_purchase:${purchase.id}`) ?? 0;
        if (count > 1) problems.push(`purchase ${purchase.id} is credited ${count} times`);
        if (purchase.status === "paid") {
          owed.set(purchase.userId, (owed.get(purchase.userId) ?? 0) + purchase.tokens);
          if (count === 0) problems.push(`paid purchase ${purchase.id} earned no credit`);
        }
      }
      for (const userId of new Set([...owed.keys(), ...balances.keys()])) {
        if ((owed.get(userId) ?? 0) !== (balances.get(userId) ?? 0))
          problems.push(
            `user ${userId} holds ${balances.get(userId) ?? 0} tokens, but paid for ${owed.get(userId) ?? 0}`,
          );
      }
      return problems;
    },
  },
  {
    name: "stock + reserved + committed sales = initial stock + restocks",
    check({ world, initialStock, restocks }) {
      const problems: string[] = [];
      const reserved = new Map<string, number>();
      const committed = new Map<string, number>();
      for (const sale of world.tables.sales.values()) {
        const into =
          sale.stockState === "reserved" ? reserved : sale.stockState === "committed" ? committed : null;
        for (const item of sale.items)
          into?.set(item.productId, (into.get(item.productId) ?? 0) + item.quantity);
        if (sale.stockState === "committed" && sale.status !== "paid")
          problems.push(`sale ${sale.id} committed its stock but is ${sale.status}`);
        if (sale.stockState === "reserved" && sale.status !== "pending")
          problems.push(`sale ${sale.id} still holds stock but is ${sale.status}`);
        if (sale.status === "paid" && sale.stockState === "released" && !sale.needsAttention)
          problems.push(`sale ${sale.id} is paid without its stock and nobody was told`);
      }
      for (const product of world.tables.products.values()) {
        const expected = (initialStock.get(product.id) ?? 0) + (restocks.get(product.id) ?? 0);
        const held = reserved.get(product.id) ?? 0;
        const sold = committed.get(product.id) ?? 0;
        if (product.stock < 0 || product.reserved < 0)
          problems.push(`product ${product.id} has stock ${product.stock}, reserved ${product.reserved}`);
        if (product.reserved !== held)
          problems.push(
            `product ${product.id} has ${product.reserved} reserved, but pending sales hold ${held}`,
          );
        if (product.stock + product.reserved + sold !== expected)
          problems.push(
            `product ${product.id}: stock ${product.stock} + reserved ${product.reserved} + sold ${sold} ≠ ${expected}`,
          );
      }
      return problems;
    },
  },
  {
    name: "nothing unpaid is credited",
    check({ world, mpesa }) {
      const problems: string[] = [];
      const stk = [
        ...world.tables.walletPurchases.values(),
        ...world.tables.sales.values(),
        ...world.tables.configVerifications.values(),
      ];
      for (const payment of stk) {
        if (payment.status !== "paid") continue;
        const truth =
          payment.checkoutRequestId === null ? undefined : mpesa.pushes.get(payment.checkoutRequestId);
        if (truth?.fate !== "paid")
          problems.push(
            `payment ${payment.id} is paid, but M-Pesa says ${truth?.fate ?? "it never started"}`,
          );
      }
      for (const payout of world.tables.payouts.values()) {
        if (payout.status !== "completed") continue;
        const truth = mpesa.payouts.get(payout.originatorConversationId);
        if (truth?.fate !== "completed")
          problems.push(
            `payout ${payout.id} is completed, but M-Pesa says ${truth?.fate ?? "it never started"}`,
          );
      }
      return problems;
    },
  },
  {
    name: "nothing paid is lost",
    check({ world, evidence }) {
      const problems: string[] = [];
      const stk = [
        ...world.tables.walletPurchases.values(),
        ...world.tables.sales.values(),
        ...world.tables.configVerifications.values(),
      ];
      const byTokenHash = new Map(stk.map((p) => [p.callbackTokenHash, p]));
      const byCheckout = new Map(
        stk.flatMap((p) => (p.checkoutRequestId === null ? [] : [[p.checkoutRequestId, p] as const])),
      );
      const payouts = new Map([...world.tables.payouts.values()].map((p) => [p.originatorConversationId, p]));
      for (const said of evidence) {
        if (said.by === "payout") {
          const payout = payouts.get(said.originatorConversationId);
          if (payout !== undefined && payout.status !== "completed" && !payout.needsAttention)
            problems.push(
              `payout ${payout.id} is ${payout.status}, unflagged, though its trusted result said it was completed`,
            );
          continue;
        }
        const payment =
          said.by === "token"
            ? byTokenHash.get(world.callbackSecrets.hashOf(said.token))
            : byCheckout.get(said.checkoutRequestId);
        // An informational flag does not excuse it: only a blocking one stops a success from being applied.
        if (
          payment !== undefined &&
          payment.status !== "paid" &&
          !(payment.needsAttention && payment.attentionBlocking)
        ) {
          const what =
            said.by === "token" ? `its callback (${said.token})` : `an STK Query (${said.checkoutRequestId})`;
          problems.push(
            `payment ${payment.id} is ${payment.status}, unflagged, though ${what} said it was paid`,
          );
        }
      }
      return problems;
    },
  },
  {
    name: "a paid push through a config verifies it",
    check({ world }) {
      const problems: string[] = [];
      for (const payment of [...world.tables.sales.values(), ...world.tables.configVerifications.values()]) {
        if (
          payment.status === "paid" &&
          world.tables.paymentConfigs.get(payment.paymentConfigId)?.verified !== true
        )
          problems.push(
            `payment ${payment.id} is paid through config ${payment.paymentConfigId}, which is not verified`,
          );
      }
      return problems;
    },
  },
];

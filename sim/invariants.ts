import type { OutboxEvent } from "../src/application/ports/outbox-repository.ts";
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
  readonly needsAttention: boolean;
  readonly businessId: string;
  /** Failed by PayMe alone from a refused request, so that a definitive success may still complete it. */
  readonly failedLocally: boolean;
};

/** A payment row that changed during a step: `from` null when it was created, `to` null when it vanished. */
export type RowChange = {
  readonly kind: PaymentKind;
  readonly id: string;
  readonly from: PaymentView | null;
  readonly to: PaymentView | null;
};

export type CheckContext = {
  readonly world: World;
  readonly mpesa: FakeMpesa;
  /** Definitive successes with the right amount that PayMe heard in steps that completed, not yet seen applied. */
  readonly evidence: readonly HeardPaid[];
  readonly initialStock: ReadonlyMap<string, number>;
  /** Each product's stock changes by restocks (UpdateProduct), summed. */
  readonly restocks: ReadonlyMap<string, number>;
  readonly changes: readonly RowChange[];
  /** The outbox as the step found and left it. */
  readonly outbox: OutboxStep;
};

/** What a step did to the outbox: the events it appended, how many there were, which configs it verified. */
export type OutboxStep = {
  readonly appended: readonly OutboxEvent[];
  readonly sizeBefore: number;
  readonly sizeAfter: number;
  readonly verifiedConfigs: readonly { readonly id: string; readonly businessId: string }[];
};

/** A payment M-Pesa told PayMe was paid (or a payout completed), and how it was told. */
export type HeardPaid = { readonly kind: PaymentKind; readonly id: string; readonly how: string };

export type Invariant = { readonly name: string; check(context: CheckContext): string[] };

const failedLocally = (row: { status: string; pushOutcome: string | null; resultCode: string | null }) =>
  row.status === "failed" && row.pushOutcome === "refused" && row.resultCode === null;

/** Rows are replaced on every write, never changed in place: a row's view is computed once. */
const viewsByRow = new WeakMap<object, PaymentView>();

/** The payment rows of each kind, by id, as a step left them. */
export type PaymentRows = { readonly [K in PaymentKind]: ReadonlyMap<string, object> };

/**
 * The payment tables as they are now. Rows are snapshots that a write replaces and never changes, so copying the
 * maps is enough to tell later which rows a step wrote.
 */
export function paymentRows(world: World): PaymentRows {
  const { tables } = world;
  return {
    wallet_purchase: new Map(tables.walletPurchases),
    sale: new Map(tables.sales),
    config_verification: new Map(tables.configVerifications),
    payout: new Map(tables.payouts),
  };
}

export function viewOf(kind: PaymentKind, row: object): PaymentView {
  let view = viewsByRow.get(row);
  if (view === undefined) {
    const r = row as StkPaymentState;
    view = {
      kind,
      id: r.id,
      status: r.status,
      blocking: kind !== "payout" && r.needsAttention && r.attentionBlocking,
      needsAttention: r.needsAttention,
      businessId: (r as { businessId?: string }).businessId ?? "",
      failedLocally: failedLocally(r),
    };
    viewsByRow.set(row, view);
  }
  return view;
}

/** The rows a step wrote (or removed), each with its view before and after. */
export function rowChanges(before: PaymentRows, after: PaymentRows): RowChange[] {
  const changes: RowChange[] = [];
  for (const kind of Object.keys(after) as PaymentKind[]) {
    const was = before[kind];
    const now = after[kind];
    for (const [id, row] of now) {
      const previous = was.get(id);
      if (previous !== row) {
        changes.push({
          kind,
          id,
          from: previous === undefined ? null : viewOf(kind, previous),
          to: viewOf(kind, row),
        });
      }
    }
    for (const [id, row] of was) {
      if (!now.has(id)) changes.push({ kind, id, from: viewOf(kind, row), to: null });
    }
  }
  return changes;
}

/** The outbox events each kind of payment owes for a change of its status: a sale's every final status, a payout's two. */
const EVENT_STATUSES: { readonly [K in PaymentKind]: readonly string[] } = {
  sale: ["paid", "failed", "cancelled", "expired"],
  payout: ["completed", "failed"],
  wallet_purchase: [],
  config_verification: [],
};

type ExpectedEvent = {
  readonly type: string;
  readonly businessId: string;
  readonly id: string;
  readonly status: string | null;
};

const eventKey = (type: string, id: string) => `${type} ${id}`;

/**
 * The events a step's changes owe: `sale.<status>` and `payout.<status>` for a new status, `sale.needs_attention`
 * for a new flag, `payment_config.verified` for a config verified for the first time. Wallet purchases and
 * verification pushes owe none.
 */
function expectedEvents(changes: readonly RowChange[], outbox: OutboxStep): ExpectedEvent[] {
  const expected: ExpectedEvent[] = [];
  for (const { kind, id, from, to } of changes) {
    if (to === null) continue;
    const prefix = kind === "sale" ? "sale" : "payout";
    if (to.status !== from?.status && EVENT_STATUSES[kind].includes(to.status)) {
      expected.push({ type: `${prefix}.${to.status}`, businessId: to.businessId, id, status: to.status });
    }
    if (kind === "sale" && to.needsAttention && from?.needsAttention !== true) {
      expected.push({ type: "sale.needs_attention", businessId: to.businessId, id, status: to.status });
    }
  }
  for (const config of outbox.verifiedConfigs) {
    expected.push({
      type: "payment_config.verified",
      businessId: config.businessId,
      id: config.id,
      status: null,
    });
  }
  return expected;
}

/** The outbox has exactly one event per state change, written with it: none from a step that crashed or changed nothing. */
export const OUTBOX_INVARIANT: Invariant = {
  name: "the outbox has exactly one event per state change",
  check({ changes, outbox }) {
    const problems: string[] = [];
    if (outbox.sizeAfter !== outbox.sizeBefore + outbox.appended.length) {
      problems.push(
        `the outbox went from ${outbox.sizeBefore} to ${outbox.sizeAfter} events, not only appended to`,
      );
    }
    const owed = new Map<string, ExpectedEvent[]>();
    for (const event of expectedEvents(changes, outbox)) {
      const key = eventKey(event.type, event.id);
      owed.set(key, [...(owed.get(key) ?? []), event]);
    }
    for (const event of outbox.appended) {
      const object = event.data.object as { id?: unknown; status?: unknown; verified?: unknown };
      const key = eventKey(event.type, String(object.id));
      const match = owed.get(key)?.shift();
      if (match === undefined) {
        problems.push(`event ${event.id} (${key}) tells of no change the step made`);
        continue;
      }
      if (event.businessId !== match.businessId)
        problems.push(
          `event ${event.id} (${key}) is for business ${event.businessId}, not ${match.businessId}`,
        );
      if (match.status !== null && object.status !== match.status)
        problems.push(
          `event ${event.id} (${key}) shows status ${String(object.status)}, but it is ${match.status}`,
        );
      if (event.type === "payment_config.verified" && object.verified !== true)
        problems.push(`event ${event.id} (${key}) shows the config unverified`);
    }
    for (const [key, missing] of owed) {
      if (missing.length > 0) problems.push(`no event for ${key}`);
    }
    return problems;
  },
};

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
    check({ changes }) {
      const problems: string[] = [];
      for (const { kind, id, from, to } of changes) {
        const key = `${kind}:${id}`;
        if (to === null) {
          problems.push(`${key} vanished (it was ${from?.status})`);
          continue;
        }
        if (from === null) {
          if (to.status !== "pending" && to.status !== "failed")
            problems.push(`${key} appeared ${to.status}`);
          continue;
        }
        if (to.status === from.status) {
          if (from.blocking && !to.blocking) problems.push(`${key} lost its blocking flag`);
          continue;
        }
        const move = `${from.status}>${to.status}`;
        const success = kind === "payout" ? "completed" : "paid";
        const allowed =
          (kind === "payout" ? PAYOUT_MOVES : STK_MOVES).has(move) ||
          (from.status === "failed" && to.status === success && from.failedLocally);
        if (!allowed)
          problems.push(`${key} moved ${from.status} → ${to.status}, which the state table forbids`);
        if (from.blocking) problems.push(`${key} moved ${from.status} → ${to.status} under a blocking flag`);
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
      for (const heard of evidence) {
        const row = rowOf(world, heard);
        if (row !== undefined && !settledAsHeard(row)) {
          problems.push(
            `${heard.kind} ${heard.id} is ${row.status}, unflagged, though ${heard.how} said it was paid`,
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
  OUTBOX_INVARIANT,
];

type SettledRow = {
  readonly status: string;
  readonly needsAttention: boolean;
  readonly attentionBlocking?: boolean;
};

function rowOf(world: World, heard: HeardPaid): SettledRow | undefined {
  const { tables } = world;
  switch (heard.kind) {
    case "wallet_purchase":
      return tables.walletPurchases.get(heard.id);
    case "sale":
      return tables.sales.get(heard.id);
    case "config_verification":
      return tables.configVerifications.get(heard.id);
    case "payout":
      return tables.payouts.get(heard.id);
  }
}

/**
 * Paid (completed), or set aside for a person: an STK payment by a blocking flag (an informational one does not stop
 * a success from being applied), a payout by any flag. Both are for good: the state table check sees to that.
 */
function settledAsHeard(row: SettledRow): boolean {
  if (row.status === "paid" || row.status === "completed") return true;
  return row.needsAttention && row.attentionBlocking !== false;
}

/** Drops what was heard and is now settled for good, so that the check stays cheap as a run grows. */
export function stillToWatch(world: World, evidence: readonly HeardPaid[]): HeardPaid[] {
  return evidence.filter((heard) => {
    const row = rowOf(world, heard);
    return row !== undefined && !settledAsHeard(row);
  });
}

/** Which payment a success PayMe heard is about (by its callback token or CheckoutRequestID, or payout id). */
export function resolveHeard(world: World, said: PaidEvidence): HeardPaid | null {
  const { tables } = world;
  if (said.by === "payout") {
    for (const row of tables.payouts.values())
      if (row.originatorConversationId === said.originatorConversationId)
        return { kind: "payout", id: row.id, how: `its trusted result (${said.originatorConversationId})` };
    return null;
  }
  const hash = said.by === "token" ? world.callbackSecrets.hashOf(said.token) : null;
  const matches = (row: StkPaymentState) =>
    hash !== null
      ? row.callbackTokenHash === hash
      : said.by === "checkout" && row.checkoutRequestId === said.checkoutRequestId;
  const how =
    said.by === "token"
      ? `its callback (${said.token})`
      : `an STK Query (${said.by === "checkout" ? said.checkoutRequestId : ""})`;
  for (const [kind, rows] of [
    ["wallet_purchase", tables.walletPurchases],
    ["sale", tables.sales],
    ["config_verification", tables.configVerifications],
  ] as const) {
    for (const row of rows.values()) if (matches(row)) return { kind, id: row.id, how };
  }
  return null;
}

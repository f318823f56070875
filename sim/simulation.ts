import { GatewayNetworkError } from "../src/adapters/in-memory/in-memory-payment-gateway.ts";
import type { Repositories } from "../src/application/ports/unit-of-work.ts";
import type { StkCallback } from "../src/application/shared/daraja-notifications.ts";
import type { Result } from "../src/domain/result.ts";
import { type Delivery, FakeMpesa, type PaidEvidence } from "./fake-mpesa.ts";
import { SimulatedCrash } from "./faulty-unit-of-work.ts";
import {
  type HeardPaid,
  INVARIANTS,
  type Invariant,
  type OutboxStep,
  type PaymentKind,
  type PaymentRows,
  paymentRows,
  resolveHeard,
  rowChanges,
  stillToWatch,
  viewOf,
} from "./invariants.ts";
import { Prng } from "./prng.ts";
import { asOwner, payoutAmountOf, phoneOf, pushAmountOf, quantityOf, stockOf } from "./values.ts";
import { buildWorld, type World } from "./world.ts";

/** How often each kind of step is planned, relative to the others. */
const STEP_WEIGHTS = {
  wallet_purchase: 10,
  sale: 10,
  concurrent_sales: 4,
  verify_config: 3,
  payout: 6,
  restock: 3,
  payer_acts: 24,
  payout_acts: 8,
  deliver_callback: 18,
  lose_callback: 1,
  forge_callback: 4,
  check_pending: 5,
  query_payouts: 3,
  expire: 3,
  release_holds: 3,
  advance_clock: 8,
} as const;

export type StepKind = keyof typeof STEP_WEIGHTS;

/** One step of a run: what it does, and the seed of every choice it makes (so that a step can be dropped). */
export type PlannedStep = { readonly kind: StepKind; readonly seed: number };

export type Violation = { readonly step: number; readonly invariant: string; readonly message: string };

export type RunResult = {
  readonly steps: number;
  readonly violations: readonly Violation[];
  /** The index of the first step after which a check failed; null when none did. */
  readonly failedAt: number | null;
  /** One line per step run: what it did and what came of it. */
  readonly trace: readonly string[];
  /** How many payments of each kind ended in each status (see `tally`). */
  readonly counts: Readonly<Record<string, number>>;
  /** With group commit, how many groups of more than one settlement committed. */
  readonly groups: number;
};

export type SimulationOptions = {
  /** Stands in for the real repositories: a deliberately broken adapter, to prove the checks have teeth. */
  readonly wrapRepositories?: (r: Repositories) => Repositories;
  /** The chance that a step crashes before one of its commits (0.06 unless said). */
  readonly crashChance?: number;
  /** The checks run after every step (INVARIANTS unless said). */
  readonly invariants?: readonly Invariant[];
  /**
   * Group commit: a callback step delivers a burst of one to four callbacks at once (duplicates among them), and
   * the trusted ones settle together in one transaction, as GroupCommitSettlements does under load.
   */
  readonly groupCommit?: boolean;
};

/** The steps a seed plans. */
export function planFor(seed: number, steps: number): PlannedStep[] {
  const rng = new Prng(seed);
  return Array.from({ length: steps }, () => ({ kind: rng.weighted(STEP_WEIGHTS), seed: rng.seed() }));
}

/**
 * Runs the planned steps against the real use cases over in-memory adapters, checking every invariant after
 * every step, and stops after the first step that breaks one.
 */
export async function runPlan(
  plan: readonly PlannedStep[],
  options: SimulationOptions = {},
): Promise<RunResult> {
  const run = await SimulationRun.start(options);
  const trace: string[] = [];
  for (const [index, step] of plan.entries()) {
    const { line, violations } = await run.step(index, step);
    trace.push(line);
    if (violations.length > 0) {
      return {
        steps: index + 1,
        violations,
        failedAt: index,
        trace,
        counts: tally(run.world),
        groups: run.world.settlements?.groupsCommitted ?? 0,
      };
    }
  }
  return {
    steps: plan.length,
    violations: [],
    failedAt: null,
    trace,
    counts: tally(run.world),
    groups: run.world.settlements?.groupsCommitted ?? 0,
  };
}

/**
 * The shortest failing run it can find cheaply: the plan cut after its first failing step, then each earlier step
 * dropped in turn (last first) while the same invariant still breaks. `budget` bounds the steps replayed.
 */
export async function shrink(
  plan: readonly PlannedStep[],
  failing: RunResult,
  options: SimulationOptions = {},
  budget = 200_000,
): Promise<{ plan: PlannedStep[]; result: RunResult }> {
  const target = failing.violations[0]?.invariant;
  if (failing.failedAt === null || target === undefined) {
    return { plan: [...plan], result: failing };
  }
  let current = plan.slice(0, failing.failedAt + 1);
  let result = failing;
  let spent = 0;
  for (let i = current.length - 2; i >= 0 && spent + current.length <= budget; i -= 1) {
    const candidate = current.filter((_, j) => j !== i);
    spent += candidate.length;
    const attempt = await runPlan(candidate, options);
    if (attempt.failedAt !== null && attempt.violations.some((v) => v.invariant === target)) {
      current = candidate.slice(0, attempt.failedAt + 1);
      result = attempt;
      i = Math.min(i, current.length - 1);
    }
  }
  return { plan: current, result };
}

const PHONES = ["0712000001", "0712000002", "0722000003", "0733000004", "0110000005"];

/** The state of one run: the world, M-Pesa's truth, and what the checks remember between steps. */
class SimulationRun {
  private evidence: HeardPaid[] = [];
  private readonly restocks = new Map<string, number>();
  private rows: PaymentRows;
  private outboxSize = 0;
  private verified: ReadonlySet<string>;
  private forged = 0;

  private constructor(
    readonly world: World,
    private readonly mpesa: FakeMpesa,
    private readonly options: SimulationOptions,
    private readonly buyers: readonly string[],
    private readonly businesses: readonly { ownerId: string; businessId: string; productIds: string[] }[],
    private readonly initialStock: ReadonlyMap<string, number>,
  ) {
    this.rows = paymentRows(world);
    this.outboxSize = world.tables.outboxEvents.size;
    this.verified = verifiedConfigs(world);
  }

  static async start(options: SimulationOptions): Promise<SimulationRun> {
    const world = buildWorld({
      wrapRepositories: options.wrapRepositories,
      groupCommit: options.groupCommit === true,
    });
    const mpesa = new FakeMpesa(world.gateway, new Prng(0));
    const buyers = [];
    for (const name of ["Akinyi", "Baraka", "Chebet"]) {
      buyers.push((await world.seed.user(name)).id);
    }
    const businesses = [];
    const initialStock = new Map<string, number>();
    for (const stocks of [
      [3, 5, 1],
      [2, 4],
    ]) {
      const owner = await world.seed.user("Owner");
      const { business } = await world.seed.business(owner.id);
      const productIds = [];
      for (const [n, stock] of stocks.entries()) {
        const product = await world.seed.product(business.id, {
          stock,
          price: 50 * (n + 1),
          name: `Item ${n + 1}`,
        });
        initialStock.set(product.id, stock);
        productIds.push(product.id);
      }
      businesses.push({ ownerId: owner.id, businessId: business.id, productIds });
    }
    return new SimulationRun(world, mpesa, options, buyers, businesses, initialStock);
  }

  async step(index: number, step: PlannedStep): Promise<{ line: string; violations: Violation[] }> {
    const rng = new Prng(step.seed);
    this.mpesa.rng = rng;
    this.mpesa.saidPaid = [];
    const crashChance = this.options.crashChance ?? 0.06;
    this.world.uow.crashAt(rng.chance(crashChance) ? rng.between(1, 3) : null);
    const heard: PaidEvidence[] = [];
    const violations: Violation[] = [];
    let line: string;
    try {
      line = await this.execute(step.kind, rng, heard);
      for (const said of [...heard, ...this.mpesa.saidPaid]) {
        const resolved = resolveHeard(this.world, said);
        if (resolved !== null) this.evidence.push(resolved);
      }
    } catch (error) {
      if (error instanceof SimulatedCrash) {
        line = `crashed: ${error.message}`;
      } else if (error instanceof GatewayNetworkError) {
        line = `network error: ${error.message}`;
      } else {
        line = `threw ${String(error)}`;
        violations.push({ step: index, invariant: "no unexpected errors", message: String(error) });
      }
    } finally {
      this.world.uow.crashAt(null);
    }
    const after = paymentRows(this.world);
    const context = {
      world: this.world,
      mpesa: this.mpesa,
      evidence: this.evidence,
      initialStock: this.initialStock,
      restocks: this.restocks,
      changes: rowChanges(this.rows, after),
      outbox: this.outboxStep(),
    };
    for (const invariant of this.options.invariants ?? INVARIANTS) {
      for (const message of invariant.check(context)) {
        violations.push({ step: index, invariant: invariant.name, message });
      }
    }
    this.rows = after;
    this.outboxSize = this.world.tables.outboxEvents.size;
    this.verified = verifiedConfigs(this.world);
    this.evidence = stillToWatch(this.world, this.evidence);
    return { line: `#${index} ${step.kind}: ${line}`, violations };
  }

  /** The events appended since the last step (a map keeps insertion order, a rollback keeps it too), and the configs verified. */
  private outboxStep(): OutboxStep {
    const { outboxEvents, paymentConfigs } = this.world.tables;
    const appended = [...outboxEvents.values()].slice(this.outboxSize);
    const verifiedConfigs = [...paymentConfigs.values()]
      .filter((config) => config.verified && !this.verified.has(config.id))
      .map((config) => ({ id: config.id, businessId: config.businessId }));
    return { appended, sizeBefore: this.outboxSize, sizeAfter: outboxEvents.size, verifiedConfigs };
  }

  private async execute(kind: StepKind, rng: Prng, heard: PaidEvidence[]): Promise<string> {
    const { useCases, clock, tables } = this.world;
    const phone = phoneOf(rng.pick(PHONES) ?? "0712000001");
    const shop = rng.pick(this.businesses);
    if (shop === undefined) {
      throw new Error("the simulation has no business");
    }
    switch (kind) {
      case "wallet_purchase": {
        const userId = rng.pick(this.buyers) ?? "";
        return describe(
          await useCases.initiateWalletPurchase.execute({
            userId,
            phone,
            amount: pushAmountOf(rng.between(1, 500)),
          }),
        );
      }
      case "sale": {
        if (rng.chance(0.3)) {
          const sale = {
            access: asOwner(shop.ownerId, shop.businessId, "sales:write"),
            businessId: shop.businessId,
            phone,
            amount: pushAmountOf(rng.between(1, 900)),
          };
          return describe(await useCases.initiateSale.execute(sale));
        }
        const first = rng.int(shop.productIds.length);
        const productIds = rng.chance(0.5)
          ? shop.productIds.slice(first, first + 2)
          : shop.productIds.slice(first, first + 1);
        const items = productIds.map((productId) => ({ productId, quantity: quantityOf(rng.between(1, 2)) }));
        return describe(
          await useCases.initiateSale.execute({
            access: asOwner(shop.ownerId, shop.businessId, "sales:write"),
            businessId: shop.businessId,
            phone,
            items,
          }),
        );
      }
      case "concurrent_sales": {
        const productId = rng.pick(shop.productIds) ?? "";
        const sales = Array.from({ length: rng.between(2, 3) }, () =>
          useCases.initiateSale.execute({
            access: asOwner(shop.ownerId, shop.businessId, "sales:write"),
            businessId: shop.businessId,
            phone: phoneOf(rng.pick(PHONES) ?? phone.value),
            items: [{ productId, quantity: quantityOf(rng.between(1, 2)) }],
          }),
        );
        const settled = await Promise.allSettled(sales);
        const lines = [];
        for (const outcome of settled) {
          if (outcome.status === "fulfilled") {
            lines.push(describe(outcome.value));
          } else if (
            outcome.reason instanceof SimulatedCrash ||
            outcome.reason instanceof GatewayNetworkError
          ) {
            lines.push(`${outcome.reason.name}`);
          } else {
            throw outcome.reason;
          }
        }
        return lines.join(" | ");
      }
      case "verify_config":
        return describe(
          await useCases.verifyPaymentConfig.execute({
            access: asOwner(shop.ownerId, shop.businessId, "configs:manage"),
            businessId: shop.businessId,
            phone,
          }),
        );
      case "payout":
        return describe(
          await useCases.initiatePayout.execute({
            access: asOwner(shop.ownerId, shop.businessId, "payouts:write"),
            businessId: shop.businessId,
            phone,
            amount: payoutAmountOf(rng.between(10, 3000)),
          }),
        );
      case "restock": {
        const productId = rng.pick(shop.productIds) ?? "";
        const before = tables.products.get(productId)?.stock ?? 0;
        const stock = rng.between(0, 8);
        const updated = await useCases.updateProduct.execute({
          access: asOwner(shop.ownerId, shop.businessId, "products:write"),
          businessId: shop.businessId,
          productId,
          changes: { stock: stockOf(stock) },
        });
        if (updated.ok) {
          this.restocks.set(productId, (this.restocks.get(productId) ?? 0) + stock - before);
        }
        return `${productId} stock ${before} → ${updated.ok ? stock : updated.error.type}`;
      }
      case "payer_acts": {
        const truth = rng.pick([...this.mpesa.pushes.values()].filter((p) => p.fate === "undecided"));
        if (truth === undefined) return "no push waits for its payer";
        this.mpesa.payerActs(truth);
        return `${truth.checkoutRequestId} ${truth.fate}`;
      }
      case "payout_acts": {
        const truth = rng.pick([...this.mpesa.payouts.values()].filter((p) => p.fate === "undecided"));
        if (truth === undefined) return "no payout waits at M-Pesa";
        this.mpesa.payoutActs(truth);
        return `${truth.originatorConversationId} ${truth.fate}`;
      }
      case "deliver_callback": {
        if (this.options.groupCommit === true) {
          return this.deliverBurst(rng, heard);
        }
        const at = rng.int(this.mpesa.mailbox.length);
        const delivery = this.mpesa.mailbox[at];
        if (delivery === undefined) return "no callback on its way";
        const duplicate = rng.chance(0.25);
        if (!duplicate) this.mpesa.mailbox.splice(at, 1);
        return `${delivery.label}${duplicate ? " (to be delivered again)" : ""}: ${await this.deliver(delivery, heard)}`;
      }
      case "lose_callback": {
        const [lost] = this.mpesa.mailbox.splice(rng.int(this.mpesa.mailbox.length), 1);
        return lost === undefined ? "no callback on its way" : `${lost.label} lost`;
      }
      case "forge_callback":
        return this.forge(rng);
      case "check_pending": {
        const report = await useCases.checkPendingPayments.execute({ limit: 20 });
        return `checked ${report.checked}, settled ${report.settled}`;
      }
      case "query_payouts": {
        const run = await useCases.queryPendingPayouts.execute({ now: clock.now(), limit: 20 });
        return `claimed ${run.claimed}, sent ${run.sent}`;
      }
      case "expire":
        return `expired ${await useCases.expireStalePayments.execute({ limit: 50 })}`;
      case "release_holds":
        return `released ${await useCases.releaseLapsedHolds.execute({ limit: 50 })}`;
      case "advance_clock": {
        const seconds = Number(
          rng.weighted({ "5": 30, "45": 30, "120": 20, "400": 12, "2000": 6, "86400": 2 }),
        );
        clock.advance(seconds * 1000);
        return `+${seconds}s`;
      }
    }
  }

  /** One to four callbacks from the mailbox, delivered at once (a callback may come twice in one burst). */
  private async deliverBurst(rng: Prng, heard: PaidEvidence[]): Promise<string> {
    const burst: Delivery[] = [];
    for (let n = rng.between(1, 4); n > 0 && this.mpesa.mailbox.length > 0; n -= 1) {
      const at = rng.int(this.mpesa.mailbox.length);
      const delivery = this.mpesa.mailbox[at] as Delivery;
      if (!rng.chance(0.25)) this.mpesa.mailbox.splice(at, 1);
      burst.push(delivery);
    }
    if (burst.length === 0) return "no callback on its way";
    const outcomes = await Promise.allSettled(burst.map((delivery) => this.deliver(delivery, heard)));
    const crash = outcomes.find((o) => o.status === "rejected");
    if (crash !== undefined) throw (crash as PromiseRejectedResult).reason;
    return burst
      .map((d, i) => `${d.label}: ${(outcomes[i] as PromiseFulfilledResult<string>).value}`)
      .join("; ");
  }

  private async deliver(delivery: Delivery, heard: PaidEvidence[]): Promise<string> {
    const { useCases } = this.world;
    if (delivery.kind === "payout") {
      const received = await useCases.receivePayoutCallback.execute({
        token: delivery.token,
        callback: delivery.callback,
        body: {},
        path: "/api/mpesa/…/***",
      });
      const { callback } = delivery;
      if (
        received.trusted &&
        ((callback.kind === "b2c_result" && callback.result.resultCode === "0") ||
          (callback.kind === "status_result" && callback.result.transactionStatus === "Completed"))
      ) {
        const id =
          callback.kind === "b2c_result"
            ? callback.result.originatorConversationId
            : String(callback.result.parameters.OriginatorConversationID);
        heard.push({ by: "payout", originatorConversationId: id });
      }
      return received.disposition;
    }
    const disposition = await this.receiveStk(delivery.token, delivery.callback);
    if (delivery.token !== null && delivery.callback.resultCode === "0") {
      heard.push({ by: "token", token: delivery.token });
    }
    return disposition;
  }

  /** An STK callback through the receiver, and through the confirmation by query when it was not trusted. */
  private async receiveStk(token: string | null, callback: StkCallback): Promise<string> {
    const { useCases } = this.world;
    const received = await useCases.receiveStkCallback.execute({
      token,
      callback,
      body: {},
      path: "/api/mpesa/stk/callback/***",
    });
    if (received.toConfirm === null) {
      return received.disposition;
    }
    const confirmed = await useCases.confirmStkCallback.execute({
      recordId: received.recordId,
      ...received.toConfirm,
    });
    return `${received.disposition} → ${confirmed}`;
  }

  /** A callback M-Pesa never sent: an unknown token or the bare path, or a success for another amount. */
  private async forge(rng: Prng): Promise<string> {
    const truth = rng.pick([...this.mpesa.pushes.values()]);
    if (truth === undefined || rng.chance(0.15)) {
      this.forged += 1;
      const payout = rng.pick([...this.mpesa.payouts.values()]);
      if (payout === undefined) return "nothing to forge";
      const result = {
        ...this.mpesa.b2cResult({ ...payout, fate: "completed", receipt: `FORGED${this.forged}` }),
      };
      const received = await this.world.useCases.receivePayoutCallback.execute({
        token: `forged-${this.forged}`,
        callback: { kind: "b2c_result", result },
        body: {},
        path: "/api/mpesa/b2c/result/***",
      });
      return `payout result for ${payout.originatorConversationId} with an unknown token: ${received.disposition}`;
    }
    this.forged += 1;
    const form = rng.weighted({
      unknownTokenPaid: 4,
      barePathPaid: 2,
      unknownTokenCancelled: 2,
      wrongAmount: 2,
    });
    const paid = {
      resultCode: "0",
      resultDesc: "The service request is processed successfully.",
      amount: truth.amount,
      mpesaReceipt: `FORGED${this.forged}`,
      phone: truth.phone,
    };
    switch (form) {
      case "unknownTokenPaid":
      case "barePathPaid": {
        const token = form === "barePathPaid" ? null : `forged-${this.forged}`;
        return `${form} for ${truth.checkoutRequestId}: ${await this.receiveStk(token, this.mpesa.stkCallback(truth, paid))}`;
      }
      case "unknownTokenCancelled": {
        const claim = {
          resultCode: "1032",
          resultDesc: "Request cancelled by user",
          amount: null,
          mpesaReceipt: null,
          phone: null,
        };
        const disposition = await this.receiveStk(
          `forged-${this.forged}`,
          this.mpesa.stkCallback(truth, claim),
        );
        // The confirming query's "paid" was not applied (it did not match the claim): it is no evidence.
        this.mpesa.saidPaid = [];
        return `${form} for ${truth.checkoutRequestId}: ${disposition}`;
      }
      case "wrongAmount": {
        const disposition = await this.receiveStk(
          truth.token,
          this.mpesa.stkCallback(truth, { ...paid, amount: truth.amount + 1 }),
        );
        return `${form} for ${truth.checkoutRequestId}: ${disposition}`;
      }
    }
  }
}

function verifiedConfigs(world: World): Set<string> {
  return new Set([...world.tables.paymentConfigs.values()].filter((c) => c.verified).map((c) => c.id));
}

function describe<
  T extends { readonly id: string; readonly status: string },
  E extends { readonly type: string },
>(result: Result<T, E>): string {
  return result.ok ? `${result.value.id} ${result.value.status}` : `refused: ${result.error.type}`;
}

/** How many payments of each kind ended in each status: to see that a run exercised every path. */
export function tally(world: World): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [kind, rows] of Object.entries(paymentRows(world)) as [
    PaymentKind,
    ReadonlyMap<string, object>,
  ][]) {
    for (const row of rows.values()) {
      const view = viewOf(kind, row);
      const key = `${view.kind}:${view.status}${view.blocking ? "(blocked)" : ""}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
  }
  return counts;
}

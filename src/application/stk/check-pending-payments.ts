import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { PaymentGateway, StkQueryRequest } from "../ports/payment-gateway.ts";
import type { PaymentMetrics } from "../ports/payment-metrics.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { nextCheckDelaySeconds } from "../shared/reconciliation-policy.ts";
import { outcomeOfQuery } from "./stk-outcome.ts";
import type { StkPaymentKinds } from "./stk-payment-kinds.ts";
import { applyStkOutcome, reportSettlement } from "./stk-settlement.ts";

export type CheckReport = {
  readonly checked: number;
  readonly settled: number;
  /** Claimed but handed back unasked, when the pass was told to stop. */
  readonly handedBack?: number;
};

/**
 * Settles payments whose callback never came, by asking Daraja (STK Query). A payment is due once it has been
 * pending for RECONCILE_AFTER_SECONDS, then again with doubling back-off. Claiming moves its next check into
 * the future in the same transaction that locks it (FOR UPDATE SKIP LOCKED), so several instances never ask
 * about one payment at once, and a crash only delays it. "Being processed" and unknown answers leave it
 * pending; a final answer goes through the same state machine as a callback, so a later callback changes
 * nothing but a missing receipt. Payments with a blocking flag, and those without a CheckoutRequestID (their
 * push outcome is unknown: only their callback, or a person, can settle them), are left alone.
 * Every registered kind of STK payment is claimed in turn, up to `limit` each.
 */
export class CheckPendingPayments {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly gateway: PaymentGateway;
      readonly reconcileAfterSeconds: number;
      readonly metrics: PaymentMetrics;
      readonly stkKinds: StkPaymentKinds;
    },
  ) {}

  /**
   * `stopping`, once aborted (the instance is shutting down), ends the pass: the payments claimed but not yet
   * asked about are handed back, due now, for another instance (or the next start) to ask about.
   */
  async execute(input: {
    readonly limit: number;
    readonly stopping?: { readonly aborted: boolean };
  }): Promise<CheckReport> {
    const claimed = await this.claim(input.limit);
    let settled = 0;
    for (const [index, query] of claimed.entries()) {
      if (input.stopping?.aborted === true) {
        const handedBack = await this.handBack(claimed.slice(index));
        return { checked: index, settled, handedBack };
      }
      const answer = await this.deps.gateway.stkQuery(query);
      const outcome = answer.ok ? outcomeOfQuery(answer.value) : null;
      if (outcome === null) {
        continue;
      }
      const now = this.deps.clock.now();
      const { checkoutRequestId } = query;
      const applied = await this.deps.uow.run(async (r) => {
        const located = await this.deps.stkKinds.locate(r, { checkoutRequestId }, { lock: true });
        return located === null
          ? null
          : { located, effect: await applyStkOutcome(r, located, outcome, { now, ids: this.deps.ids }) };
      });
      if (applied !== null && applied.effect !== "no_change") {
        settled += 1;
        reportSettlement(this.deps.metrics, applied.located, applied.effect, "query", now);
      }
    }
    return { checked: claimed.length, settled };
  }

  private handBack(queries: readonly StkQueryRequest[]): Promise<number> {
    return this.deps.uow.run(async (r) => {
      const now = this.deps.clock.now();
      let handedBack = 0;
      for (const { checkoutRequestId } of queries) {
        const located = await this.deps.stkKinds.locate(r, { checkoutRequestId }, { lock: true });
        if (located !== null && located.payment.status === "pending") {
          located.payment.handBackCheck(now);
          await located.saveSchedule(r);
          handedBack += 1;
        }
      }
      return handedBack;
    });
  }

  private claim(limit: number): Promise<StkQueryRequest[]> {
    return this.deps.uow.run(async (r) => {
      const now = this.deps.clock.now();
      const due = {
        now,
        createdBefore: new Date(now.getTime() - this.deps.reconcileAfterSeconds * 1000),
        limit,
      };
      const claimed: StkQueryRequest[] = [];
      for (const kind of this.deps.stkKinds.all) {
        for (const located of await kind.claimOpen(r, due)) {
          const delay = nextCheckDelaySeconds(located.payment.checkAttempts, this.deps.reconcileAfterSeconds);
          located.payment.scheduleCheck(new Date(now.getTime() + delay * 1000));
          await located.saveSchedule(r);
          const query = await located.queryTarget(r);
          if (query !== null) {
            claimed.push(query);
          }
        }
      }
      return claimed;
    });
  }
}

import type { StkPayment } from "../../domain/stk-payment.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { PaymentGateway, StkQueryRequest } from "../ports/payment-gateway.ts";
import type { PaymentMetrics } from "../ports/payment-metrics.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { StkPaymentRepository } from "../ports/stk-payment-repository.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { nextCheckDelaySeconds } from "../shared/reconciliation-policy.ts";
import type { WalletPaybill } from "../shared/wallet-paybill.ts";
import { outcomeOfQuery } from "./stk-outcome.ts";
import { stkQueryFor } from "./stk-query-target.ts";
import {
  applyStkOutcome,
  findStkPayment,
  type LocatedPayment,
  reportSettlement,
  type StkSettlementRepository,
} from "./stk-settlement.ts";

export type CheckReport = { readonly checked: number; readonly settled: number };

type Claimed = { readonly checkoutRequestId: string; readonly query: StkQueryRequest };

/**
 * Settles payments whose callback never came, by asking Daraja (STK Query). A payment is due once it has been
 * pending for RECONCILE_AFTER_SECONDS, then again with doubling back-off. Claiming moves its next check into
 * the future in the same transaction that locks it (FOR UPDATE SKIP LOCKED), so several instances never ask
 * about one payment at once, and a crash only delays it. "Being processed" and unknown answers leave it
 * pending; a final answer goes through the same state machine as a callback, so a later callback changes
 * nothing but a missing receipt. Payments with a blocking flag, and those without a CheckoutRequestID (their
 * push outcome is unknown: only their callback, or a person, can settle them), are left alone.
 */
export class CheckPendingPayments {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<StkSettlementRepository>;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly gateway: PaymentGateway;
      readonly wallet: WalletPaybill;
      readonly secretBox: SecretBox;
      readonly reconcileAfterSeconds: number;
      readonly metrics: PaymentMetrics;
    },
  ) {}

  async execute(input: { readonly limit: number }): Promise<CheckReport> {
    const claimed = await this.claim(input.limit);
    let settled = 0;
    for (const { checkoutRequestId, query } of claimed) {
      const answer = await this.deps.gateway.stkQuery(query);
      const outcome = answer.ok ? outcomeOfQuery(answer.value) : null;
      if (outcome === null) {
        continue;
      }
      const now = this.deps.clock.now();
      const applied = await this.deps.uow.run(async (r) => {
        const located = await findStkPayment(r, { checkoutRequestId }, true);
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

  private claim(limit: number): Promise<Claimed[]> {
    return this.deps.uow.run(async (r) => {
      const now = this.deps.clock.now();
      const due = {
        now,
        createdBefore: new Date(now.getTime() - this.deps.reconcileAfterSeconds * 1000),
        limit,
      };
      const claimed: Claimed[] = [];
      const take = async <P extends StkPayment>(
        store: StkPaymentRepository<P>,
        locate: (payment: P) => LocatedPayment,
      ) => {
        for (const payment of await store.claimOpen(due)) {
          const delay = nextCheckDelaySeconds(payment.checkAttempts, this.deps.reconcileAfterSeconds);
          payment.scheduleCheck(new Date(now.getTime() + delay * 1000));
          await store.update(payment);
          const query = await stkQueryFor(r, locate(payment), this.deps);
          if (query !== null) {
            claimed.push({ checkoutRequestId: query.checkoutRequestId, query });
          }
        }
      };
      await take(r.walletPurchases, (payment) => ({ kind: "wallet_purchase", payment }));
      await take(r.sales, (payment) => ({ kind: "sale", payment }));
      await take(r.configVerifications, (payment) => ({ kind: "config_verification", payment }));
      return claimed;
    });
  }
}

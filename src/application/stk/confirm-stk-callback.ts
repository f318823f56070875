import type { CallbackDisposition } from "../ports/callback-audit-repository.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { PaymentGateway } from "../ports/payment-gateway.ts";
import type { PaymentMetrics } from "../ports/payment-metrics.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { outcomeOfQuery, type StkOutcome, sameOutcome } from "./stk-outcome.ts";
import type { KindPayment, SettlementEffect } from "./stk-payment-kind.ts";
import type { StkPaymentKinds } from "./stk-payment-kinds.ts";
import { applyStkOutcome, reportSettlement } from "./stk-settlement.ts";

/**
 * Confirms a callback that was not trusted as it stood (bare path, unknown token): Daraja is asked with an
 * STK Query, and the callback is applied only when the query says the same. What is applied is the query's
 * answer, never the untrusted body: a forged success cannot plant an amount or a receipt. No transaction is
 * open while Daraja is asked.
 */
export class ConfirmStkCallback {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly gateway: PaymentGateway;
      readonly metrics: PaymentMetrics;
      readonly stkKinds: StkPaymentKinds;
    },
  ) {}

  async execute(input: {
    readonly recordId: string;
    readonly checkoutRequestId: string;
    readonly claimed: StkOutcome;
  }): Promise<CallbackDisposition> {
    const locator = { checkoutRequestId: input.checkoutRequestId };
    const query = await this.deps.uow.run(async (r) => {
      const located = await this.deps.stkKinds.locate(r, locator, { lock: false });
      return located === null ? null : located.queryTarget(r);
    });
    const answer = query === null ? null : await this.deps.gateway.stkQuery(query);
    const confirmed = answer?.ok ? outcomeOfQuery(answer.value) : null;

    const now = this.deps.clock.now();
    const { disposition, settled } = await this.deps.uow.run(async (r) => {
      let disposition: CallbackDisposition = "unconfirmed";
      let ref: string | null = null;
      let settled: { located: KindPayment; effect: SettlementEffect } | null = null;
      if (confirmed !== null && sameOutcome(confirmed, input.claimed)) {
        const located = await this.deps.stkKinds.locate(r, locator, { lock: true });
        if (located !== null) {
          ref = located.ref;
          const effect = await applyStkOutcome(r, located, confirmed, { now, ids: this.deps.ids });
          disposition = effect === "no_change" ? "no_change" : "confirmed";
          settled = { located, effect };
        }
      }
      await r.callbackAudit.updateDisposition(input.recordId, disposition, ref);
      return { disposition, settled };
    });
    if (settled !== null) {
      reportSettlement(this.deps.metrics, settled.located, settled.effect, "query", now);
    }
    return disposition;
  }
}

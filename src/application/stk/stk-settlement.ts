import type { PaymentMetrics, SettlementSource } from "../ports/payment-metrics.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import type { StkOutcome } from "./stk-outcome.ts";
import type { KindPayment, SettlementContext, SettlementEffect } from "./stk-payment-kind.ts";

/** Tells the metrics what a committed settlement did; a receipt filled in or no change is not a settlement. */
export function reportSettlement(
  metrics: PaymentMetrics,
  located: KindPayment,
  effect: SettlementEffect,
  source: SettlementSource,
  now: Date,
): void {
  if (effect === "no_change" || effect === "receipt_filled") {
    return;
  }
  metrics.settled({
    kind: located.kind,
    status: effect,
    source,
    ageSeconds: (now.getTime() - located.payment.createdAt.getTime()) / 1000,
  });
}

/**
 * Moves a payment along the state table, then lets its kind save it and do what it needs (a ledger credit,
 * stock, a verified config …), in the caller's transaction, with the payment row locked.
 * A transition the table does not allow (a duplicate, a late callback) changes nothing.
 */
export async function applyStkOutcome(
  r: Repositories,
  located: KindPayment,
  outcome: StkOutcome,
  context: SettlementContext,
): Promise<SettlementEffect> {
  const { payment } = located;
  const moved =
    outcome.type === "paid"
      ? payment.markPaid({
          receipt: outcome.receipt,
          amount: outcome.amount,
          phone: outcome.phone,
          at: context.now,
        })
      : payment.markUnsuccessful(outcome.resultCode, outcome.description, context.now);
  if (!moved.ok) {
    return "no_change";
  }
  await located.saveChange(r, moved.value, context);
  return moved.value;
}

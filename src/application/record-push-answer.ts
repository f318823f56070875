import type { Result } from "../domain/result.ts";
import type { StkPayment } from "../domain/stk-payment.ts";
import type { GatewayFailure, StkPushAccepted } from "./ports/payment-gateway.ts";
import type { PaymentKind, PaymentMetrics } from "./ports/payment-metrics.ts";
import type { StkPaymentRepository } from "./ports/stk-payment-repository.ts";
import type { Repositories, UnitOfWork } from "./ports/unit-of-work.ts";

/**
 * Records what Daraja answered to a push on the payment's row as it is now: a callback may already have moved
 * it, so the row is re-read under a lock rather than overwritten from memory. Accepted: the CheckoutRequestID is
 * kept. Refused at once: the payment fails. An unknown outcome is not recorded (the callback token still
 * identifies the payment), so callers skip this for `outcome_unknown`.
 */
export function recordPushAnswer<P extends StkPayment>(
  uow: UnitOfWork,
  store: (r: Repositories) => StkPaymentRepository<P>,
  paymentId: string,
  pushed: Result<StkPushAccepted, GatewayFailure>,
  now: Date,
  /** Saves the payment, with whatever else must change with it (a refused sale gives its stock back). */
  save: (r: Repositories, payment: P) => Promise<void> = (r, payment) => store(r).update(payment),
): Promise<P> {
  return uow.run(async (r) => {
    const current = await store(r).findById(paymentId, { lock: true });
    if (current === null) {
      throw new Error(`payment ${paymentId} vanished before its push answer was recorded`);
    }
    if (pushed.ok) {
      current.recordCheckout(pushed.value.checkoutRequestId, pushed.value.merchantRequestId);
    } else {
      current.markPushRefused(pushed.error.message, now);
    }
    await save(r, current);
    return current;
  });
}

/** Tells the metrics a push was sent (or, refused at once, that its payment failed). */
export function reportPush(
  metrics: PaymentMetrics,
  kind: PaymentKind,
  payment: StkPayment,
  pushed: Result<StkPushAccepted, GatewayFailure>,
  now: Date,
): void {
  if (pushed.ok || pushed.error.type === "outcome_unknown") {
    metrics.initiated(kind);
    return;
  }
  metrics.settled({
    kind,
    status: "failed",
    source: "refused",
    ageSeconds: (now.getTime() - payment.createdAt.getTime()) / 1000,
  });
}

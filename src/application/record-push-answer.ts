import { err, ok, type Result } from "../domain/result.ts";
import type { StkPayment } from "../domain/stk-payment.ts";
import type { Clock } from "./ports/clock.ts";
import type {
  GatewayFailure,
  PaymentGateway,
  StkPushAccepted,
  StkPushRequest,
} from "./ports/payment-gateway.ts";
import type { PaymentKind, PaymentMetrics } from "./ports/payment-metrics.ts";
import type { StkPaymentRepository } from "./ports/stk-payment-repository.ts";
import type { Repositories, UnitOfWork } from "./ports/unit-of-work.ts";

/** Daraja refused the push at once: the payment has failed and no money can move for it. */
export type PushRefused = { readonly type: "push_refused"; readonly failure: GatewayFailure };

/**
 * Sends the STK push for a payment already saved as pending, tells the metrics, and records Daraja's answer.
 * An unknown outcome (timeout, dropped connection) leaves the payment pending as saved: Daraja may have accepted
 * it, and its callback token still identifies it when the callback (or the reconciler's query) comes.
 */
export async function pushAndRecord<P extends StkPayment>(
  deps: {
    readonly gateway: PaymentGateway;
    readonly metrics: PaymentMetrics;
    readonly clock: Clock;
    readonly uow: UnitOfWork;
  },
  sending: {
    readonly kind: PaymentKind;
    readonly payment: P;
    readonly push: StkPushRequest;
    readonly store: (r: Repositories) => StkPaymentRepository<P>;
    /** Saves the payment, with whatever else must change with it (a refused sale gives its stock back). */
    readonly save?: (r: Repositories, payment: P, now: Date) => Promise<void>;
  },
): Promise<Result<P, PushRefused>> {
  const pushed = await deps.gateway.stkPush(sending.push);
  const now = deps.clock.now();
  reportPush(deps.metrics, sending.kind, sending.payment, pushed, now);
  if (!pushed.ok && pushed.error.type === "outcome_unknown") {
    return ok(sending.payment);
  }
  const save = sending.save;
  const recorded = await recordPushAnswer(
    deps.uow,
    sending.store,
    sending.payment.id,
    pushed,
    now,
    save === undefined ? undefined : (r, payment) => save(r, payment, now),
  );
  return pushed.ok ? ok(recorded) : err({ type: "push_refused", failure: pushed.error });
}

/**
 * Records what Daraja answered to a push on the payment's row as it is now: a callback may already have moved
 * it, so the row is re-read under a lock rather than overwritten from memory. Accepted: the CheckoutRequestID is
 * kept. Refused at once: the payment fails. An unknown outcome is not recorded (the callback token still
 * identifies the payment), so this is skipped for `outcome_unknown`.
 */
function recordPushAnswer<P extends StkPayment>(
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
function reportPush(
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

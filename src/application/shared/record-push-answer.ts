import { err, ok, type Result } from "../../domain/result.ts";
import type { StkPayment } from "../../domain/stk-payment.ts";
import type { Clock } from "../ports/clock.ts";
import {
  type DefiniteRefusal,
  type GatewayFailure,
  isAmbiguous,
  type PaymentGateway,
  type StkPushAccepted,
  type StkPushRequest,
} from "../ports/payment-gateway.ts";
import type { PaymentKind, PaymentMetrics } from "../ports/payment-metrics.ts";
import type { StkPaymentRepository } from "../ports/stk-payment-repository.ts";
import type { Repositories, RepositoryName, UnitOfWork } from "../ports/unit-of-work.ts";

/** Daraja refused the push definitely (nothing started): the payment has failed and no money can move for it. */
export type PushRefused = { readonly type: "push_refused"; readonly failure: DefiniteRefusal };

/**
 * Sends the STK push for a payment already saved as pending, tells the metrics, and records Daraja's answer.
 * Only a definite refusal fails the payment. Any other answer that is not an acceptance (a timeout, a dropped
 * connection, a 5xx, an HTML page, an unknown envelope) leaves it pending as saved, its push outcome `unknown`:
 * Daraja may have started the push, and its callback token still identifies it when the callback (or the
 * reconciler's query) comes.
 */
export async function pushAndRecord<P extends StkPayment, K extends RepositoryName>(
  deps: {
    readonly gateway: PaymentGateway;
    readonly metrics: PaymentMetrics;
    readonly clock: Clock;
    readonly uow: UnitOfWork<K>;
  },
  sending: {
    readonly kind: PaymentKind;
    readonly payment: P;
    readonly push: StkPushRequest;
    readonly store: (r: Pick<Repositories, K>) => StkPaymentRepository<P>;
    /** Saves the payment, with whatever else must change with it (a refused sale gives its stock back). */
    readonly save?: (r: Pick<Repositories, K>, payment: P, now: Date) => Promise<void>;
  },
): Promise<Result<P, PushRefused>> {
  const pushed = await deps.gateway.stkPush(sending.push);
  const now = deps.clock.now();
  reportPush(deps.metrics, sending.kind, sending.payment, pushed, now);
  if (!pushed.ok && isAmbiguous(pushed.error)) {
    // Saved with push outcome `unknown`: nothing to change. A callback may already have settled it meanwhile,
    // so the answer shows the row as it is now.
    const current = await deps.uow.run((r) => sending.store(r).findById(sending.payment.id));
    return ok(current ?? sending.payment);
  }
  const answer = definiteAnswer(pushed);
  const save = sending.save;
  const recorded = await recordPushAnswer(
    deps.uow,
    sending.store,
    sending.payment.id,
    answer,
    now,
    save === undefined ? undefined : (r, payment) => save(r, payment, now),
  );
  return answer.ok ? ok(recorded) : err({ type: "push_refused", failure: answer.error });
}

/** The push's answer once an ambiguous failure is ruled out. */
function definiteAnswer(
  pushed: Result<StkPushAccepted, GatewayFailure>,
): Result<StkPushAccepted, DefiniteRefusal> {
  if (pushed.ok) {
    return pushed;
  }
  const failure = pushed.error;
  if (isAmbiguous(failure)) {
    throw new Error("an ambiguous push answer cannot be recorded as a refusal");
  }
  return err(failure);
}

/**
 * Records what Daraja answered to a push on the payment's row as it is now: a callback may already have moved
 * it, so the row is re-read under a lock rather than overwritten from memory. Accepted: the CheckoutRequestID is
 * kept and the push outcome is `accepted`. Refused definitely: the payment fails, push outcome `refused`.
 */
function recordPushAnswer<P extends StkPayment, K extends RepositoryName>(
  uow: UnitOfWork<K>,
  store: (r: Pick<Repositories, K>) => StkPaymentRepository<P>,
  paymentId: string,
  pushed: Result<StkPushAccepted, DefiniteRefusal>,
  now: Date,
  /** Saves the payment, with whatever else must change with it (a refused sale gives its stock back). */
  save: (r: Pick<Repositories, K>, payment: P) => Promise<void> = (r, payment) => store(r).update(payment),
): Promise<P> {
  return uow.run(async (r) => {
    const current = await store(r).findById(paymentId, { lock: true });
    if (current === null) {
      throw new Error(`payment ${paymentId} vanished before its push answer was recorded`);
    }
    if (pushed.ok) {
      current.recordPushAccepted(pushed.value.checkoutRequestId, pushed.value.merchantRequestId);
    } else {
      current.markPushRefused(pushed.error.message, now);
    }
    await save(r, current);
    return current;
  });
}

/** Tells the metrics a push was sent (or, refused definitely, that its payment failed). */
function reportPush(
  metrics: PaymentMetrics,
  kind: PaymentKind,
  payment: StkPayment,
  pushed: Result<StkPushAccepted, GatewayFailure>,
  now: Date,
): void {
  if (pushed.ok || isAmbiguous(pushed.error)) {
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

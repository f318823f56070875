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
 * reconciler's query) comes. An acceptance is recorded by one statement outside a transaction while the row is
 * still as it was added; a refusal, or an acceptance after a callback moved the row, in a transaction, under a
 * lock on the row as it is then.
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
    /**
     * True when an accepted push, recorded on the payment as it was added, would change more than the push's
     * own columns through `save` (a sale whose stock hold lapsed during the call gives its stock back): it is
     * then recorded under a lock. Left out: never.
     */
    readonly acceptedChangesMore?: (payment: P, now: Date) => boolean;
  },
): Promise<Result<P, PushRefused>> {
  const pushed = await deps.gateway.stkPush(sending.push);
  const now = deps.clock.now();
  reportPush(deps.metrics, sending.kind, sending.payment, pushed, now);
  if (!pushed.ok && isAmbiguous(pushed.error)) {
    // Saved with push outcome `unknown`: nothing to change. A callback may already have settled it meanwhile,
    // so the answer shows the row as it is now.
    const current = await deps.uow.read((r) => sending.store(r).findById(sending.payment.id));
    return ok(current ?? sending.payment);
  }
  const answer = definiteAnswer(pushed);
  if (answer.ok && sending.acceptedChangesMore?.(sending.payment, now) !== true) {
    const recorded = await recordAcceptedAlone(deps.uow, sending.store, sending.payment, answer.value);
    if (recorded !== null) {
      return ok(recorded);
    }
  }
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
 * Records an accepted push without a transaction, by one conditional statement on the payment's row while it is
 * still as it was added (see `StkPaymentRepository.recordAcceptedPush`). `payment` is the object that was added:
 * the answer is applied to it as the locked path applies it to the row it reads. Null when the row had moved on
 * (a callback settled it first), so that the answer is recorded under a lock on the row as it is.
 */
async function recordAcceptedAlone<P extends StkPayment, K extends RepositoryName>(
  uow: UnitOfWork<K>,
  store: (r: Pick<Repositories, K>) => StkPaymentRepository<P>,
  payment: P,
  accepted: StkPushAccepted,
): Promise<P | null> {
  if (!payment.recordPushAccepted(accepted.checkoutRequestId, accepted.merchantRequestId).ok) {
    return null;
  }
  return uow.autocommit((r) => store(r).recordAcceptedPush(payment));
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

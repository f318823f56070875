import type { StkPayment } from "../../domain/stk-payment.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { StkQueryRequest } from "../ports/payment-gateway.ts";
import type { PaymentKind } from "../ports/payment-metrics.ts";
import type { StkPaymentRepository } from "../ports/stk-payment-repository.ts";
import type { Repositories } from "../ports/unit-of-work.ts";

/** What applying an outcome did to a payment. */
export type SettlementEffect = "paid" | "receipt_filled" | "flagged" | "cancelled" | "failed" | "no_change";

/** A change the state machine made to a payment, which its kind then saves and acts on. */
export type PaymentChange = Exclude<SettlementEffect, "no_change"> | "expired";

export type SettlementContext = { readonly now: Date; readonly ids: IdGenerator };

/**
 * What one kind of STK payment (a wallet purchase, a sale, a config verification …) brings to the payment seam.
 * Written in its feature's folder, typed by its own payment class, and registered at the composition root;
 * stk/ only ever sees it through `stkPaymentKind`, so it never names a feature.
 */
export interface StkPaymentKindDefinition<P extends StkPayment> {
  /** Its name in locator rows, audit references and metrics: `sale`, `wallet_purchase` … */
  readonly kind: PaymentKind;
  /** Whether a payment the locator found is one of its own (its class): the locator's row names the kind. */
  owns(payment: StkPayment): payment is P;
  /** Where its payments are stored (found by id, claimed by the reconciler and expiry, summed up). */
  store(r: Repositories): StkPaymentRepository<P>;
  /**
   * Saves a payment the state machine has just moved (`change`) and does what the kind needs with it (a ledger
   * credit, stock, a verified config, an outbox event), in the caller's transaction.
   */
  saveChange(r: Repositories, payment: P, change: PaymentChange, context: SettlementContext): Promise<void>;
  /** The STK Query that asks Daraja about the payment with this CheckoutRequestID; null when it cannot be asked. */
  queryTarget(r: Repositories, payment: P, checkoutRequestId: string): Promise<StkQueryRequest | null>;
  /**
   * Locks, in one go and in one global order, the rows besides the payments themselves that saving changes of
   * several of them in one transaction will lock (a sale's products): expiry claims many and saves them in turn,
   * and must not hold one payment's rows while waiting for another's. None when saving locks nothing more.
   */
  lockForChanges?(r: Repositories, payments: readonly P[]): Promise<void>;
}

/** A payment together with what its kind does with it: what stk/ works with, whatever the kind. */
export interface KindPayment {
  readonly kind: PaymentKind;
  readonly payment: StkPayment;
  /** `kind:id`: how audit records name the payment. */
  readonly ref: string;
  saveChange(r: Repositories, change: PaymentChange, context: SettlementContext): Promise<void>;
  /** Saves the reconciler's schedule (attempts, next check) and nothing else. */
  saveSchedule(r: Repositories): Promise<void>;
  /** The STK Query for it; null without a CheckoutRequestID or a way to ask. */
  queryTarget(r: Repositories): Promise<StkQueryRequest | null>;
}

/** A registered kind of STK payment, as the payment seam uses it. */
export interface StkPaymentKind {
  readonly kind: PaymentKind;
  /** A payment of this kind that the locator found, bound to what its kind does; any other payment is a bug. */
  adopt(payment: StkPayment): KindPayment;
  /** See StkPaymentRepository.claimOpen. */
  claimOpen(
    r: Repositories,
    due: { readonly now: Date; readonly createdBefore: Date; readonly limit: number },
  ): Promise<KindPayment[]>;
  /**
   * See StkPaymentRepository.claimUnsettled; what saving their changes will lock besides them is locked too, up
   * front (see StkPaymentKindDefinition.lockForChanges).
   */
  claimUnsettled(r: Repositories, createdBefore: Date, limit: number): Promise<KindPayment[]>;
  pendingSummary(r: Repositories): Promise<{ readonly count: number; readonly oldestCreatedAt: Date | null }>;
}

/** Turns a kind's typed definition into the shape the seam iterates over. */
export function stkPaymentKind<P extends StkPayment>(
  definition: StkPaymentKindDefinition<P>,
): StkPaymentKind {
  const bind = (payment: P): KindPayment => ({
    kind: definition.kind,
    payment,
    ref: `${definition.kind}:${payment.id}`,
    saveChange: (r, change, context) => definition.saveChange(r, payment, change, context),
    saveSchedule: (r) => definition.store(r).update(payment),
    queryTarget: async (r) =>
      payment.checkoutRequestId === null
        ? null
        : definition.queryTarget(r, payment, payment.checkoutRequestId),
  });
  return {
    kind: definition.kind,
    adopt: (payment) => {
      if (!definition.owns(payment)) {
        throw new Error(`the locator named a payment of another kind as a ${definition.kind}`);
      }
      return bind(payment);
    },
    claimOpen: async (r, due) => (await definition.store(r).claimOpen(due)).map(bind),
    claimUnsettled: async (r, createdBefore, limit) => {
      const claimed = await definition.store(r).claimUnsettled(createdBefore, limit);
      if (claimed.length > 1) {
        await definition.lockForChanges?.(r, claimed);
      }
      return claimed.map(bind);
    },
    pendingSummary: (r) => definition.store(r).pendingSummary(),
  };
}

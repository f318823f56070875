import type { CallbackDisposition } from "../ports/callback-audit-repository.ts";
import type { CallbackSecrets } from "../ports/callback-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { PaymentMetrics } from "../ports/payment-metrics.ts";
import {
  type Repositories,
  type SettlementUnitOfWork,
  type UnitOfWork,
  ungroupedSettlements,
} from "../ports/unit-of-work.ts";
import type { StkCallback } from "../shared/daraja-notifications.ts";
import { outcomeOfCallback, type StkOutcome } from "./stk-outcome.ts";
import type { SettlementEffect } from "./stk-payment-kind.ts";
import type { StkPaymentKinds } from "./stk-payment-kinds.ts";
import { applyStkOutcome, reportSettlement } from "./stk-settlement.ts";

export type ReceivedCallback = {
  readonly recordId: string;
  /** Whether the URL carried the right per-payment token. */
  readonly trusted: boolean;
  readonly disposition: CallbackDisposition;
  /** Set when the callback was not trusted but concerns an open payment: confirm it with an STK Query. */
  readonly toConfirm: { readonly checkoutRequestId: string; readonly claimed: StkOutcome } | null;
};

const DISPOSITION: Record<SettlementEffect, CallbackDisposition> = {
  paid: "applied",
  receipt_filled: "applied",
  cancelled: "applied",
  failed: "applied",
  flagged: "flagged",
  no_change: "no_change",
};

/**
 * An STK push result from Safaricom. Stored for audit in every case, in the same transaction that applies it.
 * - With the right per-payment token it is trusted: applied at once along the state table, with its payment row
 *   locked, so that duplicates and concurrent deliveries change nothing more.
 * - On the bare path, or with an unknown token, it is not trusted as it stands: the caller confirms it with an
 *   STK Query (ConfirmStkCallback) before anything changes.
 */
export class ReceiveStkCallback {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly callbackSecrets: CallbackSecrets;
      readonly metrics: PaymentMetrics;
      readonly stkKinds: StkPaymentKinds;
      /**
       * Where a callback with a token settles: a unit of work that may group it with others arriving at the same
       * time into one transaction (group commit). `uow.run`, one transaction each, unless given.
       */
      readonly settlements?: SettlementUnitOfWork;
    },
  ) {
    this.settlements = deps.settlements ?? ungroupedSettlements(deps.uow);
  }

  private readonly settlements: SettlementUnitOfWork;

  async execute(input: {
    readonly token: string | null;
    readonly callback: StkCallback;
    readonly body: unknown;
    readonly path: string;
  }): Promise<ReceivedCallback> {
    const { callback } = input;
    const claimed = outcomeOfCallback(callback);
    const tokenHash = input.token === null ? null : this.deps.callbackSecrets.hashOf(input.token);
    const now = this.deps.clock.now();
    const work = async (r: Repositories) => {
      const recordId = this.deps.ids.next();
      const trustedPayment =
        tokenHash === null ? null : await this.deps.stkKinds.locate(r, { tokenHash }, { lock: true });

      let disposition: CallbackDisposition;
      let ref: string | null;
      let toConfirm: ReceivedCallback["toConfirm"] = null;
      let effect: SettlementEffect = "no_change";
      if (trustedPayment !== null) {
        ref = trustedPayment.ref;
        // The token identifies the payment by itself; a payment whose push answer was lost learns its id here.
        const known = trustedPayment.payment.recordCheckout(
          callback.checkoutRequestId,
          callback.merchantRequestId,
        );
        if (known.ok) {
          effect = await applyStkOutcome(r, trustedPayment, claimed, { now, ids: this.deps.ids });
        }
        disposition = known.ok ? DISPOSITION[effect] : "unconfirmed";
      } else {
        const candidate = await this.deps.stkKinds.locate(
          r,
          { checkoutRequestId: callback.checkoutRequestId },
          { lock: false },
        );
        ref = candidate?.ref ?? null;
        // Worth a query only while a success could still move it (pending, expired, or failed by PayMe alone).
        const open = candidate?.payment.payable === true;
        disposition = candidate === null ? "unknown_payment" : open ? "awaiting_confirmation" : "no_change";
        if (open) {
          toConfirm = { checkoutRequestId: callback.checkoutRequestId, claimed };
        }
      }
      await r.callbackAudit.record({
        id: recordId,
        receivedAt: now,
        kind: "stk_callback",
        path: input.path,
        trusted: trustedPayment !== null,
        checkoutRequestId: callback.checkoutRequestId,
        paymentRef: ref,
        disposition,
        body: input.body,
      });
      return {
        received: { recordId, trusted: trustedPayment !== null, disposition, toConfirm },
        settled: trustedPayment === null ? null : { located: trustedPayment, effect },
      };
    };
    // A callback with a token may settle together with others; one without is only stored, on its own.
    const { received, settled } =
      tokenHash === null
        ? await this.deps.uow.run(work)
        : await this.settlements.settle({ channel: "callback_token", key: tokenHash }, work);
    if (settled !== null) {
      reportSettlement(this.deps.metrics, settled.located, settled.effect, "callback", now);
    }
    return received;
  }
}

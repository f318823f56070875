import type { Clock } from "../../application/ports/clock.ts";
import type { CallbackDeliveries } from "./callback-deliveries.ts";
import type { InitiatorCredentials } from "./initiator-credentials.ts";
import { simulatorIds } from "./simulator-ids.ts";
import { type B2cOutcome, b2cOutcomeFor, INITIATOR_INVALID_OUTCOME } from "./simulator-outcomes.ts";
import { b2cResultBody, queueTimeoutBody } from "./simulator-payloads.ts";
import type { PayoutRecord } from "./simulator-records.ts";
import type { SimulatorState } from "./simulator-state.ts";

/**
 * How an accepted B2C payment ends: after the callback delay the payout settles with its outcome (decided by the
 * initiator's credentials, then the phone), names its TransactionID, and sends its result, or its queue timeout,
 * as often as the outcome or a fault says.
 */
export class PayoutSettlement {
  constructor(
    private readonly state: SimulatorState,
    private readonly callbacks: CallbackDeliveries,
    private readonly initiators: InitiatorCredentials,
    private readonly clock: Clock,
  ) {}

  /** Settles the payout after the callback delay, plus `extraDelayMs` (a fault's). */
  scheduleFor(payout: PayoutRecord, extraDelayMs: number): void {
    this.callbacks.schedule(() => this.settle(payout), this.state.delayMs + extraDelayMs);
  }

  /**
   * What the payout does: the phone's outcome, once the initiator's credentials check out. Decided when first
   * needed and then kept.
   */
  outcomeOf(payout: PayoutRecord): B2cOutcome {
    payout.outcome ??= this.initiators.accepts(payout.initiatorName, payout.securityCredential)
      ? b2cOutcomeFor(payout.phone)
      : INITIATOR_INVALID_OUTCOME;
    return payout.outcome;
  }

  private async settle(payout: PayoutRecord): Promise<void> {
    if (payout.status === "settled") {
      return;
    }
    payout.status = "settled";
    const outcome = this.outcomeOf(payout);
    payout.completedAt = this.clock.now();
    const times = (usual: number) => payout.callbackDeliveries ?? usual;
    if (outcome.kind === "failed") {
      // A B2C account short of funds still gets a real TransactionID; other failures get a placeholder.
      payout.receipt =
        outcome.resultCode === 1 ? this.state.freshReceipt() : simulatorIds.placeholderReceipt();
      const text = JSON.stringify(b2cResultBody(payout, outcome, payout.completedAt));
      await this.callbacks.sendTimes("b2c_result", payout.resultUrl, text, times(1));
      return;
    }
    // A Transaction Status query may have named the receipt already.
    payout.receipt ??= this.state.freshReceipt();
    // The money moves, whether or not its result reaches the caller.
    this.state.balances.debit(payout.shortcode, payout.amount);
    if (outcome.kind === "queue_timeout") {
      // The money moved, but its result never comes: only a Transaction Status query tells.
      const text = JSON.stringify(queueTimeoutBody(payout));
      await this.callbacks.sendTimes("b2c_queue_timeout", payout.queueTimeoutUrl, text, times(1));
      return;
    }
    const text = JSON.stringify(b2cResultBody(payout, outcome, payout.completedAt));
    await this.callbacks.sendTimes("b2c_result", payout.resultUrl, text, times(outcome.deliveries));
  }
}

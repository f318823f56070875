import type { Clock } from "../../application/ports/clock.ts";
import type { CallbackDeliveries } from "./callback-deliveries.ts";
import { nairobiParts } from "./simulator-ids.ts";
import { stkCallbackText } from "./simulator-payloads.ts";
import type { CheckoutRecord } from "./simulator-records.ts";
import type { SimulatorState } from "./simulator-state.ts";

/** Late duplicate STK callbacks come this far apart at most (less when the callback delay is shorter). */
const DUPLICATE_GAP_MS = 200;

/**
 * How an accepted STK push ends: after the callback delay (or at once, when asked), the checkout settles with
 * its outcome, a paid one gets a fresh receipt and its transaction date, and its callback is sent as often as
 * the outcome or a fault says.
 */
export class CheckoutSettlement {
  constructor(
    private readonly state: SimulatorState,
    private readonly callbacks: CallbackDeliveries,
    private readonly clock: Clock,
  ) {}

  /** Settles the checkout after the callback delay, plus `extraDelayMs` (a fault's). */
  scheduleFor(checkout: CheckoutRecord, extraDelayMs: number): void {
    this.callbacks.schedule(
      () => this.settle(checkout),
      this.state.delayMs + extraDelayMs,
      keyOf(checkout.checkoutRequestId),
    );
  }

  /** Settles the checkout now rather than after the delay, and sends its callbacks. False if unknown. */
  async settleNow(checkoutRequestId: string): Promise<boolean> {
    const checkout = this.state.checkout(checkoutRequestId);
    if (checkout === null) {
      return false;
    }
    this.callbacks.cancel(keyOf(checkoutRequestId));
    await this.callbacks.runNow(() => this.settle(checkout));
    return true;
  }

  private async settle(checkout: CheckoutRecord): Promise<void> {
    if (checkout.status === "settled") {
      return;
    }
    checkout.status = "settled";
    const { outcome } = checkout;
    if (outcome.kind === "paid") {
      checkout.receipt = this.state.freshReceipt();
      const p = nairobiParts(this.clock.now());
      checkout.transactionDate = `${p.year}${p.month}${p.day}${p.hours}${p.minutes}${p.seconds}`;
      this.state.balances.credit(checkout.businessShortCode, checkout.amount);
    }
    const times = checkout.callbackDeliveries ?? (outcome.kind === "paid" ? outcome.deliveries : 1);
    await this.callbacks.sendRacing(
      "stk_callback",
      checkout.callbackUrl,
      stkCallbackText(checkout),
      times,
      Math.min(this.state.delayMs, DUPLICATE_GAP_MS),
    );
  }
}

function keyOf(checkoutRequestId: string): string {
  return `checkout:${checkoutRequestId}`;
}

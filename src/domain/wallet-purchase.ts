import type { InvalidInput } from "./invalid-value.ts";
import { Kes } from "./kes.ts";
import type { Msisdn } from "./msisdn.ts";
import { err, ok, type Result } from "./result.ts";
import { StkPayment, type StkPaymentState } from "./stk-payment.ts";

export type WalletPurchaseState = StkPaymentState & {
  readonly userId: string;
  readonly tokens: number;
};

/** A user buying wallet tokens by STK push to PayMe's own paybill. Paid, it credits `tokens` exactly once. */
export class WalletPurchase extends StkPayment {
  private constructor(protected override readonly state: WalletPurchaseState) {
    super(state);
  }

  static create(input: {
    id: string;
    userId: string;
    amount: unknown;
    phone: Msisdn;
    tokensPerKes: number;
    callbackTokenHash: string;
    createdAt: Date;
  }): Result<WalletPurchase, InvalidInput> {
    const amount = Kes.forPush(input.amount);
    if (!amount.ok) {
      return amount;
    }
    if (!Number.isInteger(input.tokensPerKes) || input.tokensPerKes < 1) {
      return err({
        type: "invalid_input",
        errors: [{ path: "tokensPerKes", message: "must be a positive whole number" }],
      });
    }
    return ok(
      new WalletPurchase({
        ...StkPayment.initialState({ ...input, amount: amount.value }),
        userId: input.userId,
        tokens: amount.value.value * input.tokensPerKes,
      }),
    );
  }

  static restore(state: WalletPurchaseState): WalletPurchase {
    return new WalletPurchase({ ...state });
  }

  get userId(): string {
    return this.state.userId;
  }
  get tokens(): number {
    return this.state.tokens;
  }

  override snapshot(): WalletPurchaseState {
    return { ...this.state };
  }
}

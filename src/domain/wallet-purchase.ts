import type { InvalidInput } from "./invalid-value.ts";
import { Kes } from "./kes.ts";
import type { Msisdn } from "./msisdn.ts";
import { err, ok, type Result } from "./result.ts";
import { StkPayment, type StkPaymentState } from "./stk-payment.ts";

export type WalletPurchaseState = StkPaymentState & {
  readonly userId: string;
  readonly tokens: number;
};

/** The most tokens one purchase may credit: the ledger stores a purchase's tokens as a 32-bit integer. */
const TOKENS_MAX = 2_147_483_647;

/** A user buying wallet tokens by STK push to PayMe's own paybill. Paid, it credits `tokens` exactly once. */
export class WalletPurchase extends StkPayment {
  /** The highest rate of tokens per shilling at which the largest purchase (KES 250,000) still fits the ledger. */
  static readonly TOKENS_PER_KES_MAX = Math.floor(TOKENS_MAX / Kes.PUSH_MAX);

  private constructor(protected override readonly state: WalletPurchaseState) {
    super(state);
  }

  static create(input: {
    id: string;
    userId: string;
    amount: Kes;
    phone: Msisdn;
    tokensPerKes: number;
    callbackTokenHash: string;
    createdAt: Date;
  }): Result<WalletPurchase, InvalidInput> {
    if (
      !Number.isInteger(input.tokensPerKes) ||
      input.tokensPerKes < 1 ||
      input.tokensPerKes > WalletPurchase.TOKENS_PER_KES_MAX
    ) {
      return err({
        type: "invalid_input",
        errors: [
          {
            path: "tokensPerKes",
            message: `must be a whole number from 1 to ${WalletPurchase.TOKENS_PER_KES_MAX}`,
          },
        ],
      });
    }
    return ok(
      new WalletPurchase({
        ...StkPayment.initialState(input),
        userId: input.userId,
        tokens: input.amount.value * input.tokensPerKes,
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

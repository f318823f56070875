import { Kes } from "./kes.ts";
import type { Msisdn } from "./msisdn.ts";
import { StkPayment, type StkPaymentState } from "./stk-payment.ts";

export type ConfigVerificationState = StkPaymentState & {
  readonly businessId: string;
  readonly paymentConfigId: string;
};

/**
 * A KES 1 STK push through a payment config, to the owner's phone, proving that the shortcode and passkey work.
 * It follows the payment state table; paid, it marks the config verified.
 */
export class ConfigVerification extends StkPayment {
  static readonly AMOUNT = 1;

  private constructor(protected override readonly state: ConfigVerificationState) {
    super(state);
  }

  static create(input: {
    id: string;
    businessId: string;
    paymentConfigId: string;
    phone: Msisdn;
    callbackTokenHash: string;
    createdAt: Date;
  }): ConfigVerification {
    return new ConfigVerification({
      ...StkPayment.initialState({ ...input, amount: Kes.restore(ConfigVerification.AMOUNT) }),
      businessId: input.businessId,
      paymentConfigId: input.paymentConfigId,
    });
  }

  static restore(state: ConfigVerificationState): ConfigVerification {
    return new ConfigVerification({ ...state });
  }

  get businessId(): string {
    return this.state.businessId;
  }
  get paymentConfigId(): string {
    return this.state.paymentConfigId;
  }

  override snapshot(): ConfigVerificationState {
    return { ...this.state };
  }
}

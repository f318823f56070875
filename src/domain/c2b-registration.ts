/** What Daraja does with a payment when the validation URL does not answer in time. */
export type C2bResponseType = "Completed" | "Cancelled";
export const C2B_RESPONSE_TYPES: readonly C2bResponseType[] = ["Completed", "Cancelled"];

/** The business's own checks on a payment before M-Pesa takes it (only where Safaricom enabled validation). */
export type C2bValidationRules = {
  readonly enabled: boolean;
  readonly minAmount: number | null;
  readonly maxAmount: number | null;
  /** A paybill account number must be a pending sale's reference or a product's SKU. */
  readonly requireKnownAccount: boolean;
};

export type C2bRegistrationState = {
  readonly id: string;
  readonly businessId: string;
  /** What was registered with Daraja: the paybill, or a till's store number. */
  readonly shortcode: string;
  /** Hash of the secret token in the confirmation and validation URLs; the token itself is never stored. */
  readonly tokenHash: string;
  /** The token's last four characters, to show the URLs masked. */
  readonly tokenHint: string;
  readonly responseType: C2bResponseType;
  readonly validation: C2bValidationRules;
  /** The URLs as registered, with the token masked. */
  readonly confirmationUrl: string;
  readonly validationUrl: string;
  /** Daraja's answer to the registration, as parsed. */
  readonly darajaResponse: Readonly<Record<string, string>>;
  readonly registeredAt: Date;
};

/**
 * A business's C2B URLs as registered with Daraja for one shortcode. A shortcode belongs to one business: nobody
 * may register over another merchant's URLs.
 */
export class C2bRegistration {
  private constructor(private readonly state: C2bRegistrationState) {}

  static create(state: C2bRegistrationState): C2bRegistration {
    return new C2bRegistration({ ...state });
  }

  static restore(state: C2bRegistrationState): C2bRegistration {
    return new C2bRegistration({ ...state });
  }

  get id(): string {
    return this.state.id;
  }
  get businessId(): string {
    return this.state.businessId;
  }
  get shortcode(): string {
    return this.state.shortcode;
  }
  get tokenHash(): string {
    return this.state.tokenHash;
  }
  get tokenHint(): string {
    return this.state.tokenHint;
  }
  get responseType(): C2bResponseType {
    return this.state.responseType;
  }
  get validation(): C2bValidationRules {
    return this.state.validation;
  }
  get confirmationUrl(): string {
    return this.state.confirmationUrl;
  }
  get validationUrl(): string {
    return this.state.validationUrl;
  }
  get darajaResponse(): Readonly<Record<string, string>> {
    return this.state.darajaResponse;
  }
  get registeredAt(): Date {
    return this.state.registeredAt;
  }

  snapshot(): C2bRegistrationState {
    return { ...this.state };
  }
}

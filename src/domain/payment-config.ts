import type { AccountName } from "./account-name.ts";
import { AccountReference } from "./account-reference.ts";
import type { DarajaCredential } from "./daraja-credential.ts";
import { type InvalidInput, invalid } from "./invalid-value.ts";
import { err, ok, type Result } from "./result.ts";
import type { SealedSecret } from "./sealed-secret.ts";
import type { Shortcode } from "./shortcode.ts";

export type PaymentMethod = "till" | "paybill";
export const PAYMENT_METHODS: readonly PaymentMethod[] = ["till", "paybill"];

/** Daraja's TransactionType for an STK push. */
export type TransactionType = "CustomerPayBillOnline" | "CustomerBuyGoodsOnline";

/** A business's own Daraja app, for a shortcode that went live on it rather than on PayMe's shared app. */
export type OwnDarajaApp = { readonly consumerKey: string; readonly consumerSecret: SealedSecret };

/**
 * The API operator of the receiving shortcode (its initiator), which Daraja requires for Reversal, Transaction
 * Status, Account Balance and Pull on that shortcode: an operator can act only on its own shortcode.
 */
export type ConfigInitiator = { readonly name: string; readonly password: SealedSecret };

export type PaymentConfigState = {
  readonly id: string;
  readonly businessId: string;
  readonly method: PaymentMethod;
  readonly shortcode: Shortcode;
  readonly storeNumber: Shortcode;
  readonly accountReference: AccountReference | null;
  readonly accountName: string;
  readonly passkey: SealedSecret;
  readonly ownApp: OwnDarajaApp | null;
  /** Null when the business gave none: the features that need it answer `initiator_missing`. */
  readonly initiator: ConfigInitiator | null;
  verified: boolean;
  active: boolean;
  readonly createdAt: Date;
};

/**
 * How one business is paid: its Till (Buy Goods) or Paybill, with the Daraja passkey (kept sealed).
 *
 * - Paybill: the paybill is both BusinessShortCode and PartyB; an account reference is required.
 * - Till: the till is PartyB; the store (head-office) number is BusinessShortCode and goes into the
 *   password. It defaults to the till.
 */
export class PaymentConfig {
  private constructor(private readonly state: PaymentConfigState) {}

  /** How the business is paid, as a client names it. */
  static parseMethod(input: unknown, path = "paymentMethod"): Result<PaymentMethod, InvalidInput> {
    return input === "till" || input === "paybill"
      ? ok(input)
      : err(invalid(path, `must be ${PAYMENT_METHODS.map((m) => `"${m}"`).join(" or ")}`));
  }

  /** A business's own Daraja app takes both its consumer key and its secret; neither means PayMe's shared app. */
  static pairOwnApp(
    consumerKey: DarajaCredential | null,
    consumerSecret: DarajaCredential | null,
  ): Result<{ consumerKey: DarajaCredential; consumerSecret: DarajaCredential } | null, InvalidInput> {
    if (consumerKey === null && consumerSecret === null) {
      return ok(null);
    }
    if (consumerKey === null) {
      return err(invalid("consumerKey", "is required"));
    }
    if (consumerSecret === null) {
      return err(invalid("consumerSecret", "is required"));
    }
    return ok({ consumerKey, consumerSecret });
  }

  /** An initiator takes both its name and its password; neither means none. */
  static pairInitiator<N, P>(
    name: N | null,
    password: P | null,
  ): Result<{ name: N; password: P } | null, InvalidInput> {
    if (name === null && password === null) {
      return ok(null);
    }
    if (name === null) {
      return err(invalid("initiatorName", "is required with initiatorPassword"));
    }
    if (password === null) {
      return err(invalid("initiatorPassword", "is required with initiatorName"));
    }
    return ok({ name, password });
  }

  static create(input: {
    id: string;
    businessId: string;
    method: PaymentMethod;
    shortcode: Shortcode;
    storeNumber: Shortcode | null;
    accountReference: AccountReference | null;
    accountName: AccountName;
    passkey: SealedSecret;
    ownApp: OwnDarajaApp | null;
    initiator?: ConfigInitiator | null;
    createdAt: Date;
  }): Result<PaymentConfig, InvalidInput> {
    const { method, shortcode, storeNumber, accountReference } = input;
    if (method === "paybill" && accountReference === null) {
      return err(invalid("accountReference", "is required for a paybill"));
    }
    if (method === "paybill" && storeNumber !== null && !storeNumber.equals(shortcode)) {
      return err(invalid("storeNumber", "applies to a till only; a paybill is its own business shortcode"));
    }
    return ok(
      new PaymentConfig({
        id: input.id,
        businessId: input.businessId,
        method,
        shortcode,
        storeNumber: storeNumber ?? shortcode,
        accountReference,
        accountName: input.accountName.value,
        passkey: input.passkey,
        ownApp: input.ownApp,
        initiator: input.initiator ?? null,
        verified: false,
        active: true,
        createdAt: input.createdAt,
      }),
    );
  }

  static restore(state: PaymentConfigState): PaymentConfig {
    return new PaymentConfig({ ...state });
  }

  /** Daraja's TransactionType: Buy Goods for a till, Pay Bill for a paybill. Sending the wrong one is SFC_IC0003. */
  get transactionType(): TransactionType {
    return this.state.method === "till" ? "CustomerBuyGoodsOnline" : "CustomerPayBillOnline";
  }

  /** BusinessShortCode: the shortcode that goes into the password. The store number for a till. */
  get businessShortCode(): Shortcode {
    return this.state.method === "till" ? this.state.storeNumber : this.state.shortcode;
  }

  /** PartyB: the account credited. The till for a till, the paybill for a paybill. */
  get partyB(): Shortcode {
    return this.state.shortcode;
  }

  /** The account reference a push sends: the configured one, else (till only) the first 12 letters and digits of the business name. */
  accountReferenceFor(businessName: string): Result<AccountReference, InvalidInput> {
    return this.state.accountReference !== null
      ? ok(this.state.accountReference)
      : AccountReference.fromName(businessName);
  }

  /** A newer config replaced this one; it stays, inactive, for history. */
  deactivate(): void {
    this.state.active = false;
  }

  get id(): string {
    return this.state.id;
  }
  get businessId(): string {
    return this.state.businessId;
  }
  get method(): PaymentMethod {
    return this.state.method;
  }
  get shortcode(): Shortcode {
    return this.state.shortcode;
  }
  get storeNumber(): Shortcode {
    return this.state.storeNumber;
  }
  get accountReference(): AccountReference | null {
    return this.state.accountReference;
  }
  get accountName(): string {
    return this.state.accountName;
  }
  get passkey(): SealedSecret {
    return this.state.passkey;
  }
  get ownApp(): OwnDarajaApp | null {
    return this.state.ownApp;
  }
  get initiator(): ConfigInitiator | null {
    return this.state.initiator;
  }
  get verified(): boolean {
    return this.state.verified;
  }
  get active(): boolean {
    return this.state.active;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }

  /** A copy of the state, for repositories. */
  snapshot(): PaymentConfigState {
    return { ...this.state };
  }
}

import type { InitiatorName } from "./initiator-name.ts";
import { type InvalidInput, invalid } from "./invalid-value.ts";
import type { Kes } from "./kes.ts";
import type { OwnDarajaApp } from "./payment-config.ts";
import { PayoutLimits } from "./payout-limits.ts";
import { err, ok, type Result } from "./result.ts";
import type { SealedSecret } from "./sealed-secret.ts";
import type { Shortcode } from "./shortcode.ts";

export type PayoutConfigState = {
  readonly id: string;
  readonly businessId: string;
  /** The B2C (disbursement) shortcode: Daraja's PartyA. */
  readonly shortcode: Shortcode;
  /** The API operator's username on the M-Pesa org portal (role "ORG B2C API initiator"). */
  readonly initiatorName: string;
  /** Kept sealed; opened only to build a SecurityCredential for one request. */
  readonly initiatorPassword: SealedSecret;
  readonly ownApp: OwnDarajaApp | null;
  /** How much the business may pay out, a payout and a day at a time. */
  limits: PayoutLimits;
  active: boolean;
  readonly createdAt: Date;
};

/**
 * How one business pays out by B2C: its disbursement shortcode and the initiator that may move money from it.
 * A business has at most one active payout config; a replaced one stays, inactive, for the payouts it sent
 * (a Transaction Status query must come from the shortcode and initiator that made the payment).
 * The business's payout limits live on its active config, and pass to the config that replaces it.
 */
export class PayoutConfig {
  private constructor(private readonly state: PayoutConfigState) {}

  /**
   * A business's own Daraja app takes both its consumer key and its secret (`null`: left out); neither means
   * PayMe's shared app. The key is stored trimmed.
   */
  static pairOwnApp(
    consumerKey: string | null,
    consumerSecret: string | null,
  ): Result<{ consumerKey: string; consumerSecret: string } | null, InvalidInput> {
    if (consumerKey === null && consumerSecret === null) {
      return ok(null);
    }
    if (consumerKey === null) {
      return err(invalid("consumerKey", "is required with consumerSecret"));
    }
    if (consumerSecret === null) {
      return err(invalid("consumerSecret", "is required with consumerKey"));
    }
    return ok({ consumerKey: consumerKey.trim(), consumerSecret });
  }

  static create(input: {
    id: string;
    businessId: string;
    shortcode: Shortcode;
    initiatorName: InitiatorName;
    initiatorPassword: SealedSecret;
    ownApp: OwnDarajaApp | null;
    /** The limits of the config this one replaces; the defaults for a business's first. */
    limits?: PayoutLimits;
    createdAt: Date;
  }): Result<PayoutConfig, InvalidInput> {
    return ok(
      new PayoutConfig({
        id: input.id,
        businessId: input.businessId,
        shortcode: input.shortcode,
        initiatorName: input.initiatorName.value,
        initiatorPassword: input.initiatorPassword,
        ownApp: input.ownApp,
        limits: input.limits ?? PayoutLimits.defaults(),
        active: true,
        createdAt: input.createdAt,
      }),
    );
  }

  static restore(state: PayoutConfigState): PayoutConfig {
    return new PayoutConfig({ ...state });
  }

  /** The owner changes the daily or the per-payout limit (undefined leaves one as it is). */
  changeLimits(changes: { readonly daily?: Kes; readonly perPayout?: Kes }): void {
    this.state.limits = this.state.limits.with(changes);
  }

  /** A newer config replaced this one; it stays, inactive, for the payouts it sent. */
  deactivate(): void {
    this.state.active = false;
  }

  get id(): string {
    return this.state.id;
  }
  get businessId(): string {
    return this.state.businessId;
  }
  get shortcode(): Shortcode {
    return this.state.shortcode;
  }
  get initiatorName(): string {
    return this.state.initiatorName;
  }
  get initiatorPassword(): SealedSecret {
    return this.state.initiatorPassword;
  }
  get ownApp(): OwnDarajaApp | null {
    return this.state.ownApp;
  }
  get limits(): PayoutLimits {
    return this.state.limits;
  }
  get active(): boolean {
    return this.state.active;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }

  /** A copy of the state, for repositories. */
  snapshot(): PayoutConfigState {
    return { ...this.state };
  }
}

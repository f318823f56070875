import { type InvalidInput, invalid, validateAll } from "./invalid-value.ts";
import type { Kes } from "./kes.ts";
import type { OwnDarajaApp } from "./payment-config.ts";
import { PayoutLimits } from "./payout-limits.ts";
import { err, ok, type Result } from "./result.ts";
import type { SealedSecret } from "./sealed-secret.ts";
import { Shortcode } from "./shortcode.ts";
import { requiredText } from "./text.ts";

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
  static readonly INITIATOR_NAME_MAX = 64;
  /**
   * RSA-2048 with PKCS#1 v1.5 padding encrypts at most 245 bytes; Safaricom's portal allows far shorter
   * passwords than that anyway.
   */
  static readonly INITIATOR_PASSWORD_MAX = 128;

  private constructor(private readonly state: PayoutConfigState) {}

  /** Checks a plaintext initiator password before it is sealed: present, and short enough to encrypt. */
  static checkInitiatorPassword(input: unknown): Result<string, InvalidInput> {
    if (typeof input !== "string" || input.length === 0) {
      return err(invalid("initiatorPassword", "is required"));
    }
    if (input.length > PayoutConfig.INITIATOR_PASSWORD_MAX) {
      return err(
        invalid("initiatorPassword", `must be at most ${PayoutConfig.INITIATOR_PASSWORD_MAX} characters`),
      );
    }
    return ok(input);
  }

  /** Checks the plaintext fields a setup sends, all at once, before anything is sealed. */
  static checkSetup(input: {
    shortcode: unknown;
    initiatorName: unknown;
    initiatorPassword: unknown;
    consumerKey?: unknown;
    consumerSecret?: unknown;
  }): Result<
    {
      shortcode: Shortcode;
      initiatorName: string;
      initiatorPassword: string;
      ownApp: { consumerKey: string; consumerSecret: string } | null;
    },
    InvalidInput
  > {
    const absent = (value: unknown) => value === undefined || value === null || value === "";
    const ownApp: Result<{ consumerKey: string; consumerSecret: string } | null, InvalidInput> =
      absent(input.consumerKey) && absent(input.consumerSecret)
        ? ok(null)
        : absent(input.consumerKey)
          ? err(invalid("consumerKey", "is required with consumerSecret"))
          : absent(input.consumerSecret)
            ? err(invalid("consumerSecret", "is required with consumerKey"))
            : typeof input.consumerKey === "string" && typeof input.consumerSecret === "string"
              ? ok({ consumerKey: input.consumerKey.trim(), consumerSecret: input.consumerSecret })
              : err(invalid("consumerKey", "and consumerSecret must be text"));
    return validateAll({
      shortcode: Shortcode.parse(input.shortcode, "shortcode"),
      initiatorName: requiredText(input.initiatorName, "initiatorName", PayoutConfig.INITIATOR_NAME_MAX),
      initiatorPassword: PayoutConfig.checkInitiatorPassword(input.initiatorPassword),
      ownApp,
    });
  }

  static create(input: {
    id: string;
    businessId: string;
    shortcode: unknown;
    initiatorName: unknown;
    initiatorPassword: SealedSecret;
    ownApp: OwnDarajaApp | null;
    /** The limits of the config this one replaces; the defaults for a business's first. */
    limits?: PayoutLimits;
    createdAt: Date;
  }): Result<PayoutConfig, InvalidInput> {
    const parsed = validateAll({
      shortcode: Shortcode.parse(input.shortcode, "shortcode"),
      initiatorName: requiredText(input.initiatorName, "initiatorName", PayoutConfig.INITIATOR_NAME_MAX),
    });
    if (!parsed.ok) {
      return parsed;
    }
    return ok(
      new PayoutConfig({
        id: input.id,
        businessId: input.businessId,
        shortcode: parsed.value.shortcode,
        initiatorName: parsed.value.initiatorName,
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

import { type InvalidInput, invalid, mergeInvalid } from "../../domain/invalid-value.ts";
import type { Kes } from "../../domain/kes.ts";
import type { Msisdn } from "../../domain/msisdn.ts";
import type { InsufficientStock, Product } from "../../domain/product.ts";
import type { Quantity } from "../../domain/quantity.ts";
import { err, ok, type Result } from "../../domain/result.ts";
import { type AmountMismatch, Sale, type SaleLine } from "../../domain/sale.ts";
import type { SaleDescription } from "../../domain/sale-description.ts";
import { reserveStock } from "../../domain/sale-stock.ts";
import type { CallbackSecrets } from "../ports/callback-secrets.ts";
import type { Clock } from "../ports/clock.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { PaymentGateway } from "../ports/payment-gateway.ts";
import type { PaymentMetrics } from "../ports/payment-metrics.ts";
import type { ReferenceGenerator } from "../ports/reference-generator.ts";
import { UniqueViolation } from "../ports/repository-errors.ts";
import { SALE_REFERENCE_UNIQUE } from "../ports/sale-repository.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { UnitOfWork } from "../ports/unit-of-work.ts";
import { type Access, callerId } from "../shared/actor.ts";
import type { NotFound } from "../shared/application-errors.ts";
import type { Forbidden } from "../shared/authorize.ts";
import { businessPush, chargingBusiness, type PaymentConfigMissing } from "../shared/business-push.ts";
import { callbackUrlFor } from "../shared/callback-url.ts";
import { admitPush, type PushLimits, type PushRateLimited } from "../shared/push-limits.ts";
import { type PushRefused, pushAndRecord } from "../shared/record-push-answer.ts";
import { saveSale } from "./save-sale.ts";

export type PaymentConfigUnverified = { readonly type: "payment_config_unverified" };

export type InitiateSaleError =
  | InvalidInput
  | NotFound
  | Forbidden
  | AmountMismatch
  | InsufficientStock
  | PaymentConfigMissing
  | PaymentConfigUnverified
  | PushRateLimited
  | PushRefused;

/** One line of a sale as asked: a product id (not yet known to be the business's) and how many. */
export type SaleItemRequest = { readonly productId: string; readonly quantity: Quantity };

/**
 * A sale to charge, its values already parsed. With items, `amount` (when given) must equal their sum; without
 * them it is required. `amount` is one STK push's worth (Kes.forPush).
 */
export type InitiateSaleCommand = {
  readonly access: Access;
  /** Left out: the business the caller implies (an API key's, or a member's only one). */
  readonly businessId?: string;
  readonly phone: Msisdn;
  readonly amount?: Kes;
  readonly items?: readonly SaleItemRequest[];
  readonly description?: SaleDescription | null;
};

const DEFAULT_DESCRIPTION = "Payment";

/** How many references are drawn before giving up: with 32⁶ of them, a second draw is already rare. */
const REFERENCE_ATTEMPTS = 8;

/**
 * A business charges a customer by STK push through its own active config (the passkey is opened only here).
 * The sale is created and its stock reserved atomically, with the product rows locked, before Daraja is called:
 * if any line cannot be covered, nothing is reserved. A push Daraja refuses at once fails the sale and gives the
 * stock back in the same transaction. No transaction is open during the call.
 */
export class InitiateSale {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork<"businesses" | "outbox" | "paymentConfigs" | "products" | "pushLog" | "sales">;
      readonly ids: IdGenerator;
      readonly clock: Clock;
      readonly gateway: PaymentGateway;
      readonly secretBox: SecretBox;
      readonly callbackSecrets: CallbackSecrets;
      readonly references: ReferenceGenerator;
      readonly callbackUrl: string;
      readonly metrics: PaymentMetrics;
      readonly stockHoldSeconds: number;
      readonly allowUnverifiedPaymentConfig: boolean;
      readonly pushLimits: PushLimits;
    },
  ) {}

  async execute(input: InitiateSaleCommand): Promise<Result<Sale, InitiateSaleError>> {
    const secret = this.deps.callbackSecrets.issue();
    const prepared = await this.prepareWithFreshReference(input, secret.hash, secret.token);
    if (!prepared.ok) {
      return prepared;
    }
    const { sale, push } = prepared.value;
    return pushAndRecord(this.deps, {
      kind: "sale",
      payment: sale,
      push,
      store: (r) => r.sales,
      save: (r, current, now) => saveSale(r, current, { now, ids: this.deps.ids }),
      // Its stock is given back when the hold lapsed during the call; otherwise the push's columns are all.
      acceptedChangesMore: (current, now) => current.holdLapsedAt(now),
    });
  }

  /**
   * Creates the sale under a freshly drawn reference; when the business already has a sale with it, the whole
   * transaction was rolled back (nothing reserved, nothing logged) and is run again under another.
   */
  private async prepareWithFreshReference(input: InitiateSaleCommand, tokenHash: string, token: string) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.prepare(input, tokenHash, token);
      } catch (error) {
        const clash = error instanceof UniqueViolation && error.constraint === SALE_REFERENCE_UNIQUE;
        if (!clash || attempt >= REFERENCE_ATTEMPTS) {
          throw error;
        }
      }
    }
  }

  private prepare(input: InitiateSaleCommand, tokenHash: string, token: string) {
    const phone = input.phone;
    const secret = { hash: tokenHash, token };
    return this.deps.uow.run(async (r) => {
      const charging = await chargingBusiness(r, input.access, input.businessId);
      if (!charging.ok) {
        return charging;
      }
      const { business, config } = charging.value;
      if (!config.verified && !this.deps.allowUnverifiedPaymentConfig) {
        return err({ type: "payment_config_unverified" as const });
      }
      const lines = await this.lockedLines(input.items, business.id, (ids) =>
        r.products.lockInBusiness(ids, business.id),
      );
      if (!lines.ok) {
        return lines;
      }
      const now = this.deps.clock.now();
      const sale = Sale.create({
        id: this.deps.ids.next(),
        businessId: business.id,
        reference: this.deps.references.next(),
        paymentConfigId: config.id,
        phone,
        ...(input.amount === undefined ? {} : { amount: input.amount }),
        ...(lines.value === null ? {} : { lines: lines.value.lines }),
        description: input.description ?? null,
        callbackTokenHash: secret.hash,
        createdAt: now,
        holdExpiresAt: new Date(now.getTime() + this.deps.stockHoldSeconds * 1000),
      });
      if (!sale.ok) {
        return sale;
      }
      const push = await businessPush(config, business, this.deps.secretBox, {
        phone,
        amount: sale.value.amount,
        description: sale.value.description ?? DEFAULT_DESCRIPTION,
        callbackUrl: callbackUrlFor(this.deps.callbackUrl, secret.token),
      });
      if (!push.ok) {
        return push;
      }
      if (lines.value !== null) {
        const reserved = reserveStock(sale.value, lines.value.products);
        if (!reserved.ok) {
          return reserved;
        }
      }
      // Last of the checks, first of the writes: a push past the limits reserves and records nothing.
      const admitted = await admitPush(r, this.deps, {
        kind: "sale",
        userId: callerId(input.access.actor),
        businessId: business.id,
        phone,
      });
      if (!admitted.ok) {
        return admitted;
      }
      if (lines.value !== null) {
        await r.products.updateAll([...lines.value.products.values()]);
      }
      await r.sales.add(sale.value);
      return ok({ sale: sale.value, push: push.value });
    });
  }

  /** The sale's lines with their products, locked; a product that is not the business's names its field. */
  private async lockedLines(
    items: InitiateSaleCommand["items"],
    businessId: string,
    lock: (ids: string[]) => Promise<Product[]>,
  ): Promise<Result<{ lines: SaleLine[]; products: Map<string, Product> } | null, InvalidInput>> {
    if (items === undefined) {
      return ok(null);
    }
    const products = new Map((await lock(items.map((item) => item.productId))).map((p) => [p.id, p]));
    const missing = items.flatMap((item, index) =>
      products.has(item.productId)
        ? []
        : [invalid(`items.${index}.productId`, `is not a product of business ${businessId}`)],
    );
    const archived = items.flatMap((item, index) =>
      products.get(item.productId)?.archived === true
        ? [invalid(`items.${index}.productId`, "is archived: the business no longer sells it")]
        : [],
    );
    if (missing.length + archived.length > 0) {
      return err(mergeInvalid([...missing, ...archived]));
    }
    const lines = items.flatMap((item) => {
      const product = products.get(item.productId);
      return product === undefined ? [] : [{ product, quantity: item.quantity }];
    });
    return ok({ lines, products });
  }
}

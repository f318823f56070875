import type { ConfigVerification } from "../../domain/config-verification.ts";
import type { Product } from "../../domain/product.ts";
import type { Sale } from "../../domain/sale.ts";
import { settleSaleStock } from "../../domain/sale-stock.ts";
import type { StkPayment } from "../../domain/stk-payment.ts";
import { WalletLedgerEntry } from "../../domain/wallet-ledger-entry.ts";
import type { WalletPurchase } from "../../domain/wallet-purchase.ts";
import type { IdGenerator } from "../ports/id-generator.ts";
import type { PaymentMetrics, SettlementSource } from "../ports/payment-metrics.ts";
import type { Repositories } from "../ports/unit-of-work.ts";
import type { StkOutcome } from "./stk-outcome.ts";

/** An STK payment of any kind, as the callback receiver and the reconciler find it. */
export type LocatedPayment =
  | { readonly kind: "wallet_purchase"; readonly payment: WalletPurchase }
  | { readonly kind: "sale"; readonly payment: Sale }
  | { readonly kind: "config_verification"; readonly payment: ConfigVerification };

/** The repositories settling an STK payment of any kind can touch. */
export type StkSettlementRepository =
  | "walletPurchases"
  | "walletLedger"
  | "sales"
  | "products"
  | "configVerifications"
  | "paymentConfigs";

export type PaymentLocator = { readonly tokenHash: string } | { readonly checkoutRequestId: string };

/** `wallet_purchase:<id>`, `sale:<id>`: how audit records name a payment. */
export const paymentRef = (located: LocatedPayment): string => `${located.kind}:${located.payment.id}`;

/**
 * Finds the payment a callback token or CheckoutRequestID belongs to, whatever its kind. With `lock`, its row
 * stays locked until the transaction ends, so that concurrent deliveries apply one after another.
 */
export async function findStkPayment(
  r: Pick<Repositories, "walletPurchases" | "sales" | "configVerifications">,
  locator: PaymentLocator,
  lock: boolean,
): Promise<LocatedPayment | null> {
  const options = { lock };
  const find = <P extends StkPayment>(store: {
    findByCallbackTokenHash(hash: string, o: { lock: boolean }): Promise<P | null>;
    findByCheckoutRequestId(id: string, o: { lock: boolean }): Promise<P | null>;
  }) =>
    "tokenHash" in locator
      ? store.findByCallbackTokenHash(locator.tokenHash, options)
      : store.findByCheckoutRequestId(locator.checkoutRequestId, options);

  const purchase = await find(r.walletPurchases);
  if (purchase !== null) {
    return { kind: "wallet_purchase", payment: purchase };
  }
  const sale = await find(r.sales);
  if (sale !== null) {
    return { kind: "sale", payment: sale };
  }
  const verification = await find(r.configVerifications);
  if (verification !== null) {
    return { kind: "config_verification", payment: verification };
  }
  return null;
}

/** Tells the metrics what a committed settlement did; a receipt filled in or no change is not a settlement. */
export function reportSettlement(
  metrics: PaymentMetrics,
  located: LocatedPayment,
  effect: SettlementEffect,
  source: SettlementSource,
  now: Date,
): void {
  if (effect === "no_change" || effect === "receipt_filled") {
    return;
  }
  metrics.settled({
    kind: located.kind,
    status: effect,
    source,
    ageSeconds: (now.getTime() - located.payment.createdAt.getTime()) / 1000,
  });
}

/** What applying an outcome did to a payment. */
export type SettlementEffect = "paid" | "receipt_filled" | "flagged" | "cancelled" | "failed" | "no_change";

/**
 * Moves a payment along the state table and does what its kind needs, in the caller's transaction, with the
 * payment row locked: a paid wallet purchase earns its ledger credit (once: the ledger's unique source backs the
 * state machine up); a sale's stock is committed, released or taken again; a paid sale or verification push
 * verifies the config it went through.
 * A transition the table does not allow (a duplicate, a late callback) changes nothing.
 */
export async function applyStkOutcome(
  r: Pick<Repositories, StkSettlementRepository>,
  located: LocatedPayment,
  outcome: StkOutcome,
  context: { readonly now: Date; readonly ids: IdGenerator },
): Promise<SettlementEffect> {
  const { payment } = located;
  const moved =
    outcome.type === "paid"
      ? payment.markPaid({
          receipt: outcome.receipt,
          amount: outcome.amount,
          phone: outcome.phone,
          at: context.now,
        })
      : payment.markUnsuccessful(outcome.resultCode, outcome.description, context.now);
  if (!moved.ok) {
    return "no_change";
  }
  const effect = moved.value;
  if (located.kind === "wallet_purchase") {
    await r.walletPurchases.update(located.payment);
    if (effect === "paid") {
      const credit = WalletLedgerEntry.creditFor(located.payment, context.ids.next(), context.now);
      if (!credit.ok) {
        throw new Error(`a paid purchase could not be credited: ${credit.error.reason}`);
      }
      await r.walletLedger.append(credit.value);
    }
    return effect;
  }
  if (located.kind === "sale") {
    await settleSaleAfterChange(r, located.payment, context.now);
  } else {
    await r.configVerifications.update(located.payment);
  }
  if (effect === "paid") {
    // Any successful payment through a config proves it works.
    await r.paymentConfigs.markVerified(located.payment.paymentConfigId);
  }
  return effect;
}

/** Brings a sale's stock in line with its status and hold, then saves the sale and its products. */
export async function settleSaleAfterChange(
  r: Pick<Repositories, "sales" | "products">,
  sale: Sale,
  now: Date,
): Promise<void> {
  const products = await lockedProducts(r, sale);
  const stock = settleSaleStock(sale, products, now);
  await r.sales.update(sale);
  if (stock !== "unchanged" && stock !== "shortfall") {
    for (const product of products.values()) {
      await r.products.update(product);
    }
  }
}

async function lockedProducts(r: Pick<Repositories, "products">, sale: Sale): Promise<Map<string, Product>> {
  if (sale.items.length === 0) {
    return new Map();
  }
  const products = await r.products.lockInBusiness(
    sale.items.map((item) => item.productId),
    sale.businessId,
  );
  return new Map(products.map((product) => [product.id, product]));
}
